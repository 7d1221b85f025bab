package io.mailbus.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one rule set for text that becomes part of a header: no CR or LF ({@code header_injection}), no other control
 * character ({@code invalid_character}), custom header names of RFC 5322 ftext that are none of the headers Mailbus
 * writes itself, and an id that is a dot-atom, since it becomes the Message-ID.
 *
 * <p>The rule classes apply it field by field while they validate. {@link #check} applies the same rules to a whole
 * request where nothing else is validated, the MIME step, so that a regression in either layer alone (or a caller
 * that skipped the validator) cannot open a header-injection hole; Angus Mail refusing CR/LF is a third layer, not
 * the one relied on.
 */
public final class HeaderSafety {

    private static final Pattern DOT_ATOM = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    /**
     * Headers Mailbus writes, and headers a receiving system trusts because its own transport or filters add them
     * (spam verdicts, authentication results, Exchange's organisation headers): a request that could set them
     * could pass as scanned, authenticated or internal mail.
     */
    private static final Set<String> OWNED_HEADERS = Set.of(
            "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version",
            "received", "return-path", "dkim-signature", "delivered-to", "authentication-results",
            "received-spf", "x-spam", "x-original-to", "x-virus-scanned", "x-virus-status");
    private static final List<String> OWNED_PREFIXES = List.of("content-", "resent-", "arc-", "x-spam-",
            "x-ms-exchange-", "x-microsoft-antispam", "x-forefront-antispam", "x-mailbus-");

    private HeaderSafety() {
    }

    /**
     * Every header-safety error of {@code request}, as the validator reports them (same fields, same codes); empty
     * when each field that becomes a header may be written. Size limits and address syntax are not checked here.
     */
    public static List<ValidationError> check(SendRequest request) {
        List<ValidationError> errors = new ArrayList<>();
        if (request.getId() != null) {
            id(request.getId(), errors);
        }
        clean("from", request.getFrom(), errors);
        each("to", request.getTo(), errors);
        each("cc", request.getCc(), errors);
        each("bcc", request.getBcc(), errors);
        each("replyTo", request.getReplyTo(), errors);
        clean("subject", request.getSubject(), errors);
        for (int i = 0; i < request.getAttachments().size(); i++) {
            Attachment a = request.getAttachments().get(i);
            String prefix = "attachments[" + i + "].";
            clean(prefix + "filename", a.getFilename(), errors);
            clean(prefix + "contentType", a.getContentType(), errors);
            clean(prefix + "contentId", a.getContentId(), errors);
            clean(prefix + "disposition", a.getDisposition(), errors);
        }
        for (Map.Entry<String, String> h : request.getHeaders().entrySet()) {
            String name = h.getKey() == null ? "" : h.getKey().strip();
            if (headerName("headers." + name, name, errors)) {
                clean("headers." + name, h.getValue(), errors);
            }
        }
        return errors;
    }

    private static void each(String field, List<String> values, List<ValidationError> errors) {
        for (int i = 0; i < values.size(); i++) {
            clean(field + "[" + i + "]", values.get(i), errors);
        }
    }

    /**
     * False after recording a {@code header_injection} (CR or LF) or {@code invalid_character} (another control
     * character) error for {@code s}; true for null, which the field's own rule judges.
     */
    static boolean clean(String field, String s, List<ValidationError> errors) {
        if (s == null) {
            return true;
        }
        ErrorCode problem = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\r' || ch == '\n') {
                problem = ErrorCode.HEADER_INJECTION;
                break;
            }
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f || ch == 0x85 || ch == 0x2028 || ch == 0x2029) {
                problem = ErrorCode.INVALID_CHARACTER;
            }
        }
        if (problem == null) {
            return true;
        }
        errors.add(new ValidationError(field, problem, problem == ErrorCode.HEADER_INJECTION
                ? "CR and LF are not allowed here" : "control characters are not allowed here"));
        return false;
    }

    /** False after recording why {@code name} (stripped) cannot be a custom header's name. */
    static boolean headerName(String field, String name, List<ValidationError> errors) {
        if (!clean(field, name, errors)) {
            return false;
        }
        if (!isFieldName(name)) {
            errors.add(new ValidationError(field, ErrorCode.INVALID_HEADER_NAME,
                    "a header name is printable ASCII without spaces or colons"));
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (OWNED_HEADERS.contains(lower) || OWNED_PREFIXES.stream().anyMatch(lower::startsWith)) {
            errors.add(new ValidationError(field, ErrorCode.HEADER_NOT_ALLOWED,
                    name + " is set by Mailbus or a receiving system and cannot be given"));
            return false;
        }
        return true;
    }

    /** False after recording that {@code id} (trimmed) is not a dot-atom, which the Message-ID needs. */
    static boolean id(String id, List<ValidationError> errors) {
        if (DOT_ATOM.matcher(id).matches()) {
            return true;
        }
        errors.add(new ValidationError("id", ErrorCode.INVALID_ID,
                "id may hold letters, digits, dots and !#$%&'*+/=?^_`{|}~- only (it becomes the Message-ID)"));
        return false;
    }

    static boolean isDotAtom(String s) {
        return DOT_ATOM.matcher(s).matches();
    }

    private static boolean isFieldName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 33 || ch > 126 || ch == ':') {
                return false;
            }
        }
        return true;
    }
}
