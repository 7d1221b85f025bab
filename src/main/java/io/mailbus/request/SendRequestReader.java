package io.mailbus.request;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a send request straight from the JSON tokens into a {@link SendRequest}, checking its shape on the way:
 * every unknown field and every wrongly typed value is reported at once with its path, and the offending member
 * is left out so the rest can still be validated. No tree is built, so the large strings (bodies, attachment
 * data) exist once, in the request, and never as a second copy in a tree.
 *
 * <p>The parser comes from {@link SendRequestJson}'s mapper, so duplicate keys and the lifted string limit apply;
 * trailing data after the object is an error, as the mapper's {@code FAIL_ON_TRAILING_TOKENS} makes it for
 * whole-document reads.
 */
final class SendRequestReader {

    private static final ObjectReader METADATA = SendRequestJson.mapper()
            .readerFor(LinkedHashMap.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonParser p;
    private final Spool spool;
    private final List<ValidationError> errors = new ArrayList<>();

    private SendRequestReader(JsonParser p, Spool spool) {
        this.p = p;
        this.spool = spool;
    }

    /** The shape errors found; the request read. The caller has read the opening START_OBJECT. */
    static SendRequest read(JsonParser p, List<ValidationError> shapeErrors) throws IOException {
        return read(p, shapeErrors, null);
    }

    /**
     * @param spool where each attachment's data is decoded to, as it is read ({@link SpooledData}), for a request too
     *              large to hold; null to keep the data as strings
     * @throws UnreadableBase64 when spooled data is not base64: the parser cannot go on, the error is in shapeErrors
     */
    static SendRequest read(JsonParser p, List<ValidationError> shapeErrors, Spool spool) throws IOException {
        SendRequestReader reader = new SendRequestReader(p, spool);
        try {
            return read(reader, p, shapeErrors);
        } catch (UnreadableBase64 e) {
            shapeErrors.addAll(reader.errors);
            throw e;
        }
    }

    private static SendRequest read(SendRequestReader reader, JsonParser p, List<ValidationError> shapeErrors)
            throws IOException {
        SendRequest r = reader.request();
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "Trailing token (of type " + trailing
                    + ") found after value (bound as " + SendRequest.class.getName() + ")");
        }
        shapeErrors.addAll(reader.errors);
        return r;
    }

    private SendRequest request() throws IOException {
        SendRequest r = new SendRequest();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> r.setId(string(name, t));
                case "from" -> r.setFrom(string(name, t));
                case "to" -> strings(name, t, r::setTo);
                case "cc" -> strings(name, t, r::setCc);
                case "bcc" -> strings(name, t, r::setBcc);
                case "replyTo" -> strings(name, t, r::setReplyTo);
                case "subject" -> r.setSubject(string(name, t));
                case "text" -> r.setText(string(name, t));
                case "html" -> r.setHtml(string(name, t));
                case "attachments" -> attachments(name, t, r);
                case "headers" -> headers(name, t, r);
                case "tags" -> strings(name, t, r::setTags);
                case "metadata" -> metadata(name, t, r);
                case "server" -> r.setServer(string(name, t));
                case "sendAt" -> r.setSendAt(string(name, t));
                case "template" -> r.setTemplate(string(name, t));
                case "variables" -> variables(name, t, r::setVariables);
                case "personalizations" -> personalizations(name, t, r);
                default -> unknown(name, name);
            }
        }
        return r;
    }

    /** A string or null; anything else is reported, skipped, and read as absent. */
    private String string(String path, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t != JsonToken.VALUE_NULL) {
            mistyped(path, "a string");
        }
        return null;
    }

    private interface Setter<T> {
        void set(T value);
    }

    /** One string or an array of strings; the member is dropped when any element is not a string. */
    private void strings(String path, JsonToken t, Setter<List<String>> setter) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            setter.set(null);
        } else if (t == JsonToken.VALUE_STRING) {
            List<String> one = new ArrayList<>(1);
            one.add(p.getText());
            setter.set(one);
        } else if (t == JsonToken.START_ARRAY) {
            List<String> list = new ArrayList<>();
            boolean ok = true;
            int i = 0;
            for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken(), i++) {
                if (e == JsonToken.VALUE_STRING) {
                    list.add(p.getText());
                } else {
                    ok = false;
                    mistyped(path + "[" + i + "]", "a string");
                }
            }
            if (ok) {
                setter.set(list);
            }
        } else {
            mistyped(path, "a string or an array of strings");
        }
    }

    /** Reads one member of an object element of an array into {@code target}. */
    private interface Member<T> {
        void read(T target, String name, JsonToken value, String field) throws IOException;
    }

    /**
     * An array of objects, each read member by member; null when the member is to be left out (not an array, or an
     * element that is not an object), an empty list for JSON null.
     */
    private <T> List<T> objects(String path, JsonToken t, java.util.function.Supplier<T> create, Member<T> member)
            throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return new ArrayList<>();
        }
        if (t != JsonToken.START_ARRAY) {
            mistyped(path, "an array of objects");
            return null;
        }
        List<T> list = new ArrayList<>();
        boolean ok = true;
        int i = 0;
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken(), i++) {
            String at = path + "[" + i + "]";
            if (e != JsonToken.START_OBJECT) {
                ok = false;
                mistyped(at, "an object");
                continue;
            }
            T target = create.get();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                member.read(target, name, v, at + "." + name);
            }
            list.add(target);
        }
        return ok ? list : null;
    }

    private void attachments(String path, JsonToken t, SendRequest r) throws IOException {
        List<Attachment> list = objects(path, t, Attachment::new, (a, name, v, field) -> {
            switch (name) {
                case "filename" -> a.setFilename(string(field, v));
                case "contentType" -> a.setContentType(string(field, v));
                case "data" -> {
                    if (spool != null && v == JsonToken.VALUE_STRING) {
                        a.setSpooled(spooled(field));
                    } else {
                        a.setData(string(field, v));
                    }
                }
                case "contentId" -> a.setContentId(string(field, v));
                case "disposition" -> a.setDisposition(string(field, v));
                default -> unknown(field, name);
            }
        });
        if (list != null) {
            r.setAttachments(list);
        }
    }

    /**
     * The base64 string under the parser decoded into a new file of the spool, a buffer at a time (Jackson's
     * {@code readBinaryValue}): no string of it is ever built.
     */
    private SpooledData spooled(String field) throws IOException {
        Path file = spool.newFile(".bin");
        try (OutputStream out = Spool.output(file)) {
            long size = p.readBinaryValue(Base64Variants.MIME_NO_LINEFEEDS, out);
            return new SpooledData(file, size);
        } catch (JsonParseException | IllegalArgumentException e) {
            // Jackson reports a character outside the alphabet as IllegalArgumentException, missing padding and the
            // like as a parse error that names base64; any other parse error is the JSON's
            String message = e instanceof JsonParseException jpe ? jpe.getOriginalMessage() : e.getMessage();
            if (e instanceof JsonParseException jpe
                    && (message == null || !message.toLowerCase(Locale.ROOT).contains("base64"))) {
                throw jpe;
            }
            errors.add(new ValidationError(field, ErrorCode.INVALID_BASE64, "data is not valid base64"));
            throw new UnreadableBase64(e);
        }
    }

    /** Spooled data that is not base64: the parser stops in the middle of the string, so the rest is not read. */
    static final class UnreadableBase64 extends IOException {
        private static final long serialVersionUID = 1L;

        UnreadableBase64(Throwable cause) {
            super(cause);
        }
    }

    private void headers(String path, JsonToken t, SendRequest r) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            r.setHeaders(null);
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            mistyped(path, "an object of strings");
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        boolean ok = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING) {
                headers.put(name, p.getText());
            } else {
                ok = false;
                mistyped(path + "." + name, "a string");
            }
        }
        if (ok) {
            r.setHeaders(headers);
        }
    }

    @SuppressWarnings("unchecked")
    private void metadata(String path, JsonToken t, SendRequest r) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            r.setMetadata(null);
        } else if (t == JsonToken.START_OBJECT) {
            r.setMetadata(METADATA.readValue(p));
        } else {
            mistyped(path, "an object");
        }
    }

    @SuppressWarnings("unchecked")
    private void variables(String path, JsonToken t, Setter<Map<String, Object>> setter) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            setter.set(null);
        } else if (t == JsonToken.START_OBJECT) {
            setter.set(METADATA.readValue(p));
        } else {
            mistyped(path, "an object");
        }
    }

    private void personalizations(String path, JsonToken t, SendRequest r) throws IOException {
        List<Personalization> list = objects(path, t, Personalization::new, (entry, name, v, field) -> {
            switch (name) {
                case "to" -> strings(field, v, entry::setTo);
                case "cc" -> strings(field, v, entry::setCc);
                case "bcc" -> strings(field, v, entry::setBcc);
                case "variables" -> variables(field, v, entry::setVariables);
                default -> unknown(field, name);
            }
        });
        if (list != null) {
            r.setPersonalizations(list);
        }
    }

    private void unknown(String path, String name) throws IOException {
        errors.add(new ValidationError(path, ErrorCode.UNKNOWN_FIELD, "unknown field '" + name + "'; check its spelling"));
        p.skipChildren();
    }

    private void mistyped(String path, String what) throws IOException {
        errors.add(new ValidationError(path, ErrorCode.INVALID_TYPE, "must be " + what));
        p.skipChildren();
    }
}
