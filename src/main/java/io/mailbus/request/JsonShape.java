package io.mailbus.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks the shape of a send request's JSON tree before binding, so that every unknown field and every
 * wrongly typed value is reported at once with its path, rather than only the first one Jackson trips on.
 * Offending members are removed from the tree, so the rest can still be bound and validated.
 */
final class JsonShape {

    private enum Kind { STRING, STRINGS, ATTACHMENTS, STRING_MAP, OBJECT }

    private static final Map<String, Kind> REQUEST = Map.ofEntries(
            Map.entry("id", Kind.STRING), Map.entry("from", Kind.STRING), Map.entry("to", Kind.STRINGS),
            Map.entry("cc", Kind.STRINGS), Map.entry("bcc", Kind.STRINGS), Map.entry("replyTo", Kind.STRINGS),
            Map.entry("subject", Kind.STRING), Map.entry("text", Kind.STRING), Map.entry("html", Kind.STRING),
            Map.entry("attachments", Kind.ATTACHMENTS), Map.entry("headers", Kind.STRING_MAP),
            Map.entry("tags", Kind.STRINGS), Map.entry("metadata", Kind.OBJECT), Map.entry("server", Kind.STRING));

    private static final Map<String, Kind> ATTACHMENT = Map.of(
            "filename", Kind.STRING, "contentType", Kind.STRING, "data", Kind.STRING,
            "contentId", Kind.STRING, "disposition", Kind.STRING);

    private JsonShape() {
    }

    /** Reports and removes unknown or mistyped members of {@code root}, a JSON object. */
    static List<ValidationError> check(ObjectNode root) {
        List<ValidationError> errors = new ArrayList<>();
        checkObject(root, "", REQUEST, errors);
        return errors;
    }

    private static void checkObject(ObjectNode node, String prefix, Map<String, Kind> fields,
                                    List<ValidationError> errors) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> member = it.next();
            String path = prefix + member.getKey();
            Kind kind = fields.get(member.getKey());
            if (kind == null) {
                errors.add(new ValidationError(path, ErrorCode.UNKNOWN_FIELD,
                        "unknown field '" + member.getKey() + "'; check its spelling"));
                it.remove();
            } else if (!member.getValue().isNull() && !fits(member.getValue(), kind, path, errors)) {
                it.remove();
            }
        }
    }

    private static boolean fits(JsonNode value, Kind kind, String path, List<ValidationError> errors) {
        switch (kind) {
            case STRING:
                return expect(value.isTextual(), path, "a string", errors);
            case STRINGS:
                if (value.isTextual()) {
                    return true;
                }
                if (!expect(value.isArray(), path, "a string or an array of strings", errors)) {
                    return false;
                }
                boolean ok = true;
                for (int i = 0; i < value.size(); i++) {
                    ok &= expect(value.get(i).isTextual(), path + "[" + i + "]", "a string", errors);
                }
                return ok;
            case ATTACHMENTS:
                if (!expect(value.isArray(), path, "an array of objects", errors)) {
                    return false;
                }
                boolean all = true;
                for (int i = 0; i < value.size(); i++) {
                    JsonNode a = value.get(i);
                    if (expect(a.isObject(), path + "[" + i + "]", "an object", errors)) {
                        checkObject((ObjectNode) a, path + "[" + i + "].", ATTACHMENT, errors);
                    } else {
                        all = false;
                    }
                }
                return all;
            case STRING_MAP:
                if (!expect(value.isObject(), path, "an object of strings", errors)) {
                    return false;
                }
                boolean strings = true;
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    strings &= expect(e.getValue().isTextual(), path + "." + e.getKey(), "a string", errors);
                }
                return strings;
            case OBJECT:
            default:
                return expect(value.isObject(), path, "an object", errors);
        }
    }

    private static boolean expect(boolean condition, String path, String what, List<ValidationError> errors) {
        if (!condition) {
            errors.add(new ValidationError(path, ErrorCode.INVALID_TYPE, "must be " + what));
        }
        return condition;
    }
}
