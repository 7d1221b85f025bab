package io.mailbus.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sanctionco.jmail.EmailValidationResult;
import com.sanctionco.jmail.EmailValidator;
import com.sanctionco.jmail.JMail;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.io.IOException;
import java.io.InputStream;
import java.net.IDN;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Validates and normalises a send request before anything is built from it; the delivery route's first step.
 *
 * <p>Every rule is checked and every failure reported in one {@link InvalidSendRequestException}, because a
 * client fixing one field per round trip is slow and a queue consumer cannot ask again. Header values are
 * checked here for CR/LF although Angus Mail also refuses them, so that a regression in either layer alone
 * cannot open a header-injection hole. Fields are JSON paths: {@code to[0]}, {@code attachments[2].data},
 * {@code headers.X-Foo}; the empty path is the whole document.
 *
 * <table>
 * <caption>Error codes (stable; see {@link ErrorCode})</caption>
 * <tr><th>code</th><th>raised when</th></tr>
 * <tr><td>invalid_json</td><td>the body is not one JSON object (syntax, duplicate key, trailing data)</td></tr>
 * <tr><td>unknown_field</td><td>a field the schema does not know, e.g. {@code "cc "}</td></tr>
 * <tr><td>invalid_type</td><td>a field of the wrong JSON type, e.g. a number for {@code subject}</td></tr>
 * <tr><td>required</td><td>from (with no default), subject, or an attachment's filename, contentType, data;
 *     a header's value</td></tr>
 * <tr><td>id_too_long / invalid_id</td><td>id over 128 characters / not a dot-atom (it becomes the Message-ID)</td></tr>
 * <tr><td>invalid_address</td><td>not one RFC 5321/5322 mailbox with a domain that has a TLD (no IP literal,
 *     comment, source route or group)</td></tr>
 * <tr><td>address_too_long</td><td>addr-spec over 254 characters (also after IDN to ASCII)</td></tr>
 * <tr><td>non_ascii_local_part</td><td>a non-ASCII local part while SMTPUTF8 is off</td></tr>
 * <tr><td>display_name_too_long</td><td>display name over 256 characters</td></tr>
 * <tr><td>no_recipients / too_many_recipients</td><td>to+cc+bcc empty / more distinct addresses than the
 *     limit (100)</td></tr>
 * <tr><td>subject_too_long</td><td>subject over 998 characters (code points)</td></tr>
 * <tr><td>header_injection</td><td>CR or LF in the subject, a mailbox, a filename, a content type or id, a
 *     header name or value</td></tr>
 * <tr><td>invalid_character</td><td>another control character (NUL, DEL, U+0085, U+2028, U+2029...) there</td></tr>
 * <tr><td>body_required / body_too_large</td><td>neither text nor html / one over the byte limit (UTF-8)</td></tr>
 * <tr><td>invalid_base64</td><td>attachment data not base64 (standard alphabet, padding, line breaks ok)</td></tr>
 * <tr><td>attachment_too_large / attachments_too_large</td><td>one decoded attachment over 25 MB / all
 *     together over 100 MB</td></tr>
 * <tr><td>invalid_filename</td><td>path separator, {@code .}/{@code ..}, or over 255 characters</td></tr>
 * <tr><td>invalid_content_type</td><td>not {@code type/subtype[; params]}, or multipart/* or message/*</td></tr>
 * <tr><td>invalid_content_id</td><td>contentId not an id-left[@id-right] of atext and dots</td></tr>
 * <tr><td>invalid_disposition</td><td>disposition other than attachment or inline</td></tr>
 * <tr><td>invalid_header_name</td><td>a custom header name outside RFC 5322 ftext</td></tr>
 * <tr><td>header_not_allowed</td><td>a header Mailbus owns (From, To, Subject, Content-*, DKIM-Signature...)</td></tr>
 * <tr><td>header_too_long</td><td>{@code name: value} over 998 characters</td></tr>
 * <tr><td>unknown_server</td><td>server names no configured SMTP route</td></tr>
 * </table>
 */
public class SendRequestValidator implements Processor {

    /** The exchange header that carries the request id once validated. */
    public static final String REQUEST_ID_HEADER = "MailbusRequestId";

    private static final Pattern DOT_ATOM = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern CONTENT_ID = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]{1,250}");
    private static final Pattern MIME_TOKEN = Pattern.compile("[A-Za-z0-9!#$&^_.+-]{1,127}");
    private static final Set<String> OWNED_HEADERS = Set.of(
            "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version",
            "received", "return-path", "dkim-signature", "delivered-to", "authentication-results");
    private static final List<String> OWNED_PREFIXES = List.of("content-", "resent-", "arc-");
    private static final int MAX_ID_LENGTH = 128;
    private static final int MAX_ADDRESS_LENGTH = 254;
    private static final int MAX_DISPLAY_NAME_LENGTH = 256;
    private static final int MAX_FILENAME_LENGTH = 255;
    private static final int MAX_HEADER_LINE = 998;

    private final EmailValidator addressValidator = JMail.validator()
            .disallowIpDomain()
            .requireTopLevelDomain()
            .disallowExplicitSourceRouting()
            .disallowObsoleteWhitespace()
            .withRule(e -> e.comments().isEmpty(), "comments are not allowed")
            .withRule(e -> !e.hasIdentifier(), "write a display name as Name <addr@example.com>");

    /** The exchange property naming the id a request without one gets (set by the bus ingress steps). */
    public static final String DEFAULT_ID_PROPERTY = "mailbusDefaultId";

    private String defaultFrom;
    private int maxRecipients = 100;
    private int maxSubjectLength = 998;
    private long maxBodyBytes = 100L * 1024 * 1024;
    private long maxAttachmentBytes = 25L * 1024 * 1024;
    private long maxTotalAttachmentBytes = 100L * 1024 * 1024;
    private boolean smtpUtf8;
    private Set<String> servers;

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        SendRequest request;
        List<ValidationError> errors = new ArrayList<>();
        if (in.getBody() instanceof SendRequest r) {
            request = r;
        } else {
            request = parse(in, errors);
        }
        if (request != null && blank(request.getId())) {
            // a bus message without an id: one derived from the message, so a redelivery keeps it
            request.setId(exchange.getProperty(DEFAULT_ID_PROPERTY, String.class));
        }
        Checked checked = request == null ? null : check(request);
        if (checked != null) {
            errors.addAll(checked.errors);
        }
        if (!errors.isEmpty()) {
            boolean idValid = checked != null && errors.stream().noneMatch(e -> e.field().equals("id"));
            throw new InvalidSendRequestException(errors, idValid ? checked.request.getId() : null);
        }
        in.setBody(checked.request);
        in.setHeader(REQUEST_ID_HEADER, checked.request.getId());
    }

    /** Every broken rule of {@code request}, empty when it may be sent; the request is not changed. */
    public List<ValidationError> validate(SendRequest request) {
        return check(request).errors;
    }

    /**
     * The request as it will be sent: id and from defaulted, addresses in canonical form (IDN domains in ASCII),
     * recipients de-duplicated, fields trimmed. Large strings (bodies, attachment data) are shared, not copied.
     *
     * @throws InvalidSendRequestException when the request breaks a rule
     */
    public SendRequest normalise(SendRequest request) {
        Checked checked = check(request);
        if (!checked.errors.isEmpty()) {
            throw new InvalidSendRequestException(checked.errors);
        }
        return checked.request;
    }

    /**
     * Reads the body straight into a {@link SendRequest} (see {@link SendRequestReader}): no JSON tree and no
     * String copy of a byte or stream body, so a large request is held once, as the request's own strings.
     */
    private SendRequest parse(Message in, List<ValidationError> errors) {
        ObjectMapper mapper = SendRequestJson.mapper();
        Object body = in.getBody();
        List<ValidationError> shape = new ArrayList<>();
        try (JsonParser p = body instanceof byte[] bytes ? mapper.createParser(bytes)
                : body instanceof InputStream stream ? mapper.createParser(stream)
                : body == null ? null : parserOf(mapper, in.getBody(String.class))) {
            JsonToken first = p == null ? null : p.nextToken();
            if (first == null) {
                errors.add(new ValidationError("", ErrorCode.INVALID_JSON, "the body is empty"));
                return null;
            }
            if (first != JsonToken.START_OBJECT) {
                // read the rest as the tree reader would, so a syntax error is still reported as such
                mapper.readTree(p);
                errors.add(new ValidationError("", ErrorCode.INVALID_JSON, "the body must be a JSON object"));
                return null;
            }
            SendRequest request = SendRequestReader.read(p, shape);
            errors.addAll(shape);
            return request;
        } catch (JsonProcessingException e) {
            errors.add(new ValidationError(path(e), ErrorCode.INVALID_JSON, e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            errors.add(new ValidationError("", ErrorCode.INVALID_JSON, "unreadable body: " + e.getMessage()));
            return null;
        } catch (OutOfMemoryError e) {
            // the failed allocation is this request's (a string of many MB); what it had read is garbage now
            throw new RequestTooLargeException(body instanceof byte[] bytes ? bytes.length : -1, e);
        }
    }

    private static JsonParser parserOf(ObjectMapper mapper, String text) throws IOException {
        return text == null ? null : mapper.createParser(text);
    }

    private static String path(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
        }
        return sb.toString();
    }

    private Checked check(SendRequest in) {
        Checked c = new Checked();
        SendRequest out = c.request;
        checkId(in.getId(), c);
        String from = blank(in.getFrom()) ? defaultFrom : in.getFrom();
        if (blank(from)) {
            c.error("from", ErrorCode.REQUIRED, "from is required (no default sender is configured)");
        } else {
            Mailbox m = mailbox("from", from, c);
            out.setFrom(m == null ? null : m.toString());
        }
        checkRecipients(in, c);
        List<String> replyTo = new ArrayList<>();
        for (int i = 0; i < in.getReplyTo().size(); i++) {
            Mailbox m = mailbox("replyTo[" + i + "]", in.getReplyTo().get(i), c);
            if (m != null) {
                replyTo.add(m.toString());
            }
        }
        out.setReplyTo(replyTo);
        checkSubject(in.getSubject(), c);
        checkBody(in, c);
        checkAttachments(in.getAttachments(), c);
        checkHeaders(in.getHeaders(), c);
        if (in.getServer() != null) {
            out.setServer(in.getServer().trim());
            if (servers != null && !servers.contains(out.getServer())) {
                c.error("server", ErrorCode.UNKNOWN_SERVER, "no SMTP server is configured under this name");
            }
        }
        out.setTags(in.getTags());
        out.setMetadata(in.getMetadata());
        return c;
    }

    private void checkId(String id, Checked c) {
        if (blank(id)) {
            c.request.setId(UUID.randomUUID().toString());
            return;
        }
        String trimmed = id.trim();
        c.request.setId(trimmed);
        if (trimmed.length() > MAX_ID_LENGTH) {
            c.error("id", ErrorCode.ID_TOO_LONG, "id is longer than " + MAX_ID_LENGTH + " characters");
        } else if (!DOT_ATOM.matcher(trimmed).matches()) {
            c.error("id", ErrorCode.INVALID_ID,
                    "id may hold letters, digits, dots and !#$%&'*+/=?^_`{|}~- only (it becomes the Message-ID)");
        }
    }

    private void checkRecipients(SendRequest in, Checked c) {
        Set<String> seen = new HashSet<>();
        int given = 0;
        for (String kind : List.of("to", "cc", "bcc")) {
            List<String> raw = kind.equals("to") ? in.getTo() : kind.equals("cc") ? in.getCc() : in.getBcc();
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                given++;
                Mailbox m = mailbox(kind + "[" + i + "]", raw.get(i), c);
                if (m != null && seen.add(m.address().toLowerCase(Locale.ROOT))) {
                    kept.add(m.toString());
                }
            }
            switch (kind) {
                case "to" -> c.request.setTo(kept);
                case "cc" -> c.request.setCc(kept);
                default -> c.request.setBcc(kept);
            }
        }
        if (given == 0) {
            c.error("to", ErrorCode.NO_RECIPIENTS, "at least one recipient is required in to, cc or bcc");
        } else if (seen.size() > maxRecipients) {
            c.error("to", ErrorCode.TOO_MANY_RECIPIENTS, "at most " + maxRecipients
                    + " distinct recipients across to, cc and bcc; got " + seen.size());
        }
    }

    /** The canonical mailbox (IDN domain in ASCII), or null after recording why it is not one. */
    private Mailbox mailbox(String field, String raw, Checked c) {
        if (raw == null) {
            c.error(field, ErrorCode.INVALID_ADDRESS, "an address must not be null");
            return null;
        }
        if (!clean(field, raw, c)) {
            return null;
        }
        Mailbox m = Mailbox.parse(raw);
        if (m.displayName() != null && m.displayName().length() > MAX_DISPLAY_NAME_LENGTH) {
            c.error(field, ErrorCode.DISPLAY_NAME_TOO_LONG,
                    "display name is longer than " + MAX_DISPLAY_NAME_LENGTH + " characters");
            return null;
        }
        String address = m.address();
        if (address.length() > MAX_ADDRESS_LENGTH) {
            c.error(field, ErrorCode.ADDRESS_TOO_LONG, "address is longer than " + MAX_ADDRESS_LENGTH + " characters");
            return null;
        }
        EmailValidationResult result = addressValidator.validate(address);
        if (result.isFailure() || result.getEmail().isEmpty()) {
            c.error(field, ErrorCode.INVALID_ADDRESS, "not a valid address ("
                    + result.getFailureReason().toString().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
            return null;
        }
        String local = result.getEmail().get().localPart();
        if (!smtpUtf8 && !isAscii(local)) {
            c.error(field, ErrorCode.NON_ASCII_LOCAL_PART,
                    "a non-ASCII local part needs SMTPUTF8, which is not enabled");
            return null;
        }
        String domain;
        try {
            domain = IDN.toASCII(result.getEmail().get().domain(), IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            c.error(field, ErrorCode.INVALID_ADDRESS, "not a valid internationalised domain");
            return null;
        }
        String canonical = local + "@" + domain;
        if (canonical.length() > MAX_ADDRESS_LENGTH) {
            c.error(field, ErrorCode.ADDRESS_TOO_LONG,
                    "address is longer than " + MAX_ADDRESS_LENGTH + " characters in its ASCII form");
            return null;
        }
        return new Mailbox(m.displayName(), canonical);
    }

    private void checkSubject(String subject, Checked c) {
        if (blank(subject)) {
            c.error("subject", ErrorCode.REQUIRED, "subject is required");
            return;
        }
        String s = subject.strip();
        c.request.setSubject(s);
        if (clean("subject", s, c) && s.codePointCount(0, s.length()) > maxSubjectLength) {
            c.error("subject", ErrorCode.SUBJECT_TOO_LONG,
                    "subject is longer than " + maxSubjectLength + " characters");
        }
    }

    private void checkBody(SendRequest in, Checked c) {
        String text = empty(in.getText()) ? null : in.getText();
        String html = empty(in.getHtml()) ? null : in.getHtml();
        c.request.setText(text);
        c.request.setHtml(html);
        if (text == null && html == null) {
            c.error("text", ErrorCode.BODY_REQUIRED, "text or html is required");
        }
        if (text != null && utf8Length(text) > maxBodyBytes) {
            c.error("text", ErrorCode.BODY_TOO_LARGE, "text is larger than " + maxBodyBytes + " bytes");
        }
        if (html != null && utf8Length(html) > maxBodyBytes) {
            c.error("html", ErrorCode.BODY_TOO_LARGE, "html is larger than " + maxBodyBytes + " bytes");
        }
    }

    private void checkAttachments(List<Attachment> attachments, Checked c) {
        long total = 0;
        List<Attachment> out = new ArrayList<>();
        for (int i = 0; i < attachments.size(); i++) {
            String prefix = "attachments[" + i + "].";
            Attachment a = attachments.get(i);
            if (a == null) {
                c.error("attachments[" + i + "]", ErrorCode.REQUIRED, "an attachment must not be null");
                continue;
            }
            Attachment n = new Attachment();
            n.setFilename(checkFilename(prefix + "filename", a.getFilename(), c));
            n.setContentType(checkContentType(prefix + "contentType", a.getContentType(), c));
            n.setContentId(checkContentId(prefix + "contentId", a.getContentId(), c));
            n.setDisposition(checkDisposition(prefix + "disposition", a.getDisposition(), n.getContentId(), c));
            n.setData(a.getData());
            if (a.getData() == null) {
                c.error(prefix + "data", ErrorCode.REQUIRED, "data (base64) is required");
            } else {
                long size = Base64Scan.decodedLength(a.getData());
                if (size < 0) {
                    c.error(prefix + "data", ErrorCode.INVALID_BASE64, "data is not valid base64");
                } else if (size > maxAttachmentBytes) {
                    c.error(prefix + "data", ErrorCode.ATTACHMENT_TOO_LARGE,
                            "attachment is " + size + " bytes, more than " + maxAttachmentBytes);
                } else {
                    total += size;
                }
            }
            out.add(n);
        }
        if (total > maxTotalAttachmentBytes) {
            c.error("attachments", ErrorCode.ATTACHMENTS_TOO_LARGE,
                    "attachments are " + total + " bytes together, more than " + maxTotalAttachmentBytes);
        }
        c.request.setAttachments(out);
    }

    private static String checkFilename(String field, String filename, Checked c) {
        if (blank(filename)) {
            c.error(field, ErrorCode.REQUIRED, "filename is required");
            return null;
        }
        String f = filename.strip();
        if (!clean(field, f, c)) {
            return f;
        }
        if (f.indexOf('/') >= 0 || f.indexOf('\\') >= 0 || f.equals(".") || f.equals("..")
                || f.length() > MAX_FILENAME_LENGTH) {
            c.error(field, ErrorCode.INVALID_FILENAME,
                    "filename must be a plain name of at most " + MAX_FILENAME_LENGTH + " characters, without / or \\");
        }
        return f;
    }

    private static String checkContentType(String field, String contentType, Checked c) {
        if (blank(contentType)) {
            c.error(field, ErrorCode.REQUIRED, "contentType is required");
            return null;
        }
        String ct = contentType.strip();
        if (!clean(field, ct, c)) {
            return ct;
        }
        try {
            ContentType parsed = new ContentType(ct);
            if (!isAscii(ct) || !MIME_TOKEN.matcher(parsed.getPrimaryType()).matches()
                    || !MIME_TOKEN.matcher(parsed.getSubType()).matches()) {
                c.error(field, ErrorCode.INVALID_CONTENT_TYPE, "contentType must be type/subtype[; parameters]");
            } else if (parsed.match("multipart/*") || parsed.match("message/*")) {
                c.error(field, ErrorCode.INVALID_CONTENT_TYPE,
                        "multipart and message content types cannot be attached; send them as application/octet-stream");
            }
        } catch (ParseException e) {
            c.error(field, ErrorCode.INVALID_CONTENT_TYPE, "contentType must be type/subtype[; parameters]");
        }
        return ct;
    }

    private static String checkContentId(String field, String contentId, Checked c) {
        if (contentId == null) {
            return null;
        }
        String id = contentId.strip();
        if (id.length() >= 2 && id.startsWith("<") && id.endsWith(">")) {
            id = id.substring(1, id.length() - 1);
        }
        if (clean(field, id, c) && !CONTENT_ID.matcher(id).matches()) {
            c.error(field, ErrorCode.INVALID_CONTENT_ID,
                    "contentId may hold letters, digits, dots, @ and !#$%&'*+/=?^_`{|}~- only");
        }
        return id;
    }

    private static String checkDisposition(String field, String disposition, String contentId, Checked c) {
        if (blank(disposition)) {
            return contentId == null ? "attachment" : "inline";
        }
        String d = disposition.strip().toLowerCase(Locale.ROOT);
        if (!d.equals("attachment") && !d.equals("inline")) {
            c.error(field, ErrorCode.INVALID_DISPOSITION, "disposition must be attachment or inline");
        }
        return d;
    }

    private static void checkHeaders(Map<String, String> headers, Checked c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey() == null ? "" : h.getKey().strip();
            String field = "headers." + name;
            if (!clean(field, name, c)) {
                continue;
            }
            if (!isFieldName(name)) {
                c.error(field, ErrorCode.INVALID_HEADER_NAME,
                        "a header name is printable ASCII without spaces or colons");
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (OWNED_HEADERS.contains(lower) || OWNED_PREFIXES.stream().anyMatch(lower::startsWith)) {
                c.error(field, ErrorCode.HEADER_NOT_ALLOWED, name + " is set by Mailbus and cannot be given");
                continue;
            }
            if (h.getValue() == null) {
                c.error(field, ErrorCode.REQUIRED, "a header needs a value");
                continue;
            }
            String value = h.getValue().strip();
            if (clean(field, value, c)) {
                if (name.length() + 2 + value.length() > MAX_HEADER_LINE) {
                    c.error(field, ErrorCode.HEADER_TOO_LONG,
                            "name: value is longer than " + MAX_HEADER_LINE + " characters");
                }
                out.put(name, value);
            }
        }
        c.request.setHeaders(out);
    }

    /** False after recording a header_injection or invalid_character error for {@code s}. */
    private static boolean clean(String field, String s, Checked c) {
        String problem = null;
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
        c.error(field, problem, problem.equals(ErrorCode.HEADER_INJECTION)
                ? "CR and LF are not allowed here" : "control characters are not allowed here");
        return false;
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

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /** UTF-8 length without encoding, so a 100 MB body is measured without a copy. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n += 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /** The errors of one check and the normalised request built alongside. */
    private static final class Checked {
        final List<ValidationError> errors = new ArrayList<>();
        final SendRequest request = new SendRequest();

        void error(String field, String code, String message) {
            errors.add(new ValidationError(field, code, message));
        }
    }

    /** The sender used when a request names none; {@code null} makes from required. */
    public void setDefaultFrom(String defaultFrom) {
        this.defaultFrom = defaultFrom;
    }

    /** Most distinct recipients across to, cc and bcc (100). */
    public void setMaxRecipients(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    /** Longest subject in characters (998, the RFC 5322 line limit). */
    public void setMaxSubjectLength(int maxSubjectLength) {
        this.maxSubjectLength = maxSubjectLength;
    }

    /** Largest text or html body in UTF-8 bytes (100 MB). */
    public void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Largest single attachment, decoded (25 MB). */
    public void setMaxAttachmentBytes(long maxAttachmentBytes) {
        this.maxAttachmentBytes = maxAttachmentBytes;
    }

    /** Largest sum of decoded attachments (100 MB). */
    public void setMaxTotalAttachmentBytes(long maxTotalAttachmentBytes) {
        this.maxTotalAttachmentBytes = maxTotalAttachmentBytes;
    }

    /** Whether the SMTP server will be asked for SMTPUTF8, which non-ASCII local parts need (false). */
    public void setSmtpUtf8(boolean smtpUtf8) {
        this.smtpUtf8 = smtpUtf8;
    }

    /** Names a request's {@code server} may take; {@code null} accepts any (the route checks later). */
    public void setServers(Set<String> servers) {
        this.servers = servers == null ? null : Set.copyOf(servers);
    }
}
