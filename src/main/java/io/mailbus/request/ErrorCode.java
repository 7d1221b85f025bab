package io.mailbus.request;

import java.util.Locale;

/**
 * The stable, machine-readable codes of {@link ValidationError}, each with the HTTP status the API answers it with
 * and when it is raised: the one table of them, which README's error-code table repeats for clients. Clients branch
 * on {@link #code()}, so a code is not renamed or reused for another rule. The one exception so far:
 * {@code body_too_large} meant both a text or html field over its limit (400) and a whole HTTP body over
 * {@code mailbus.http.max-body-bytes} (413), so a client could not tell which to shrink; it is now
 * {@link #TEXT_TOO_LARGE} and {@link #REQUEST_TOO_LARGE}.
 */
public enum ErrorCode {

    INVALID_JSON(400, "the body is not one JSON object (syntax, duplicate key, trailing data)"),
    UNKNOWN_FIELD(400, "a field the schema does not know, e.g. \"cc \""),
    INVALID_TYPE(400, "a field of the wrong JSON type, e.g. a number for subject"),
    REQUIRED(400, "from (with no default sender), subject, an attachment's filename, contentType or data, "
            + "or a header's value is missing"),
    ID_TOO_LONG(400, "id is longer than 128 characters"),
    INVALID_ID(400, "id is not a dot-atom (it becomes the Message-ID)"),
    INVALID_ADDRESS(400, "not one RFC 5321/5322 mailbox with a domain that has a TLD (no IP literal, comment, "
            + "source route or group)"),
    ADDRESS_TOO_LONG(400, "an addr-spec over 254 characters, also after IDN to ASCII"),
    NON_ASCII_LOCAL_PART(400, "a non-ASCII local part while SMTPUTF8 is off"),
    DISPLAY_NAME_TOO_LONG(400, "a display name over 256 characters"),
    NO_RECIPIENTS(400, "to, cc and bcc are all empty"),
    TOO_MANY_RECIPIENTS(400, "more distinct addresses across to, cc and bcc than mailbus.limits.max-recipients"),
    SUBJECT_TOO_LONG(400, "a subject over mailbus.limits.max-subject-length characters (code points)"),
    HEADER_INJECTION(400, "CR or LF anywhere a header is made: subject, a mailbox, a filename, a content type or "
            + "id, a header name or value"),
    INVALID_CHARACTER(400, "another control character (NUL, DEL, U+0085, U+2028, U+2029...) in those fields"),
    BODY_REQUIRED(400, "neither text nor html is given"),
    TEXT_TOO_LARGE(400, "text or html (a text/* body) over its limit in UTF-8 bytes; the field says which"),
    INVALID_BASE64(400, "attachment data is not base64 (standard alphabet; padding and line breaks are fine)"),
    ATTACHMENT_TOO_LARGE(400, "one decoded attachment over mailbus.limits.max-attachment-bytes"),
    ATTACHMENTS_TOO_LARGE(400, "all decoded attachments together over mailbus.limits.max-total-attachment-bytes"),
    INVALID_FILENAME(400, "a filename with a path separator, . or .., or over 255 characters"),
    INVALID_CONTENT_TYPE(400, "a contentType that is not type/subtype[; params], or is multipart/* or message/*"),
    INVALID_CONTENT_ID(400, "a contentId that is not an id-left[@id-right] of atext and dots"),
    INVALID_DISPOSITION(400, "a disposition other than attachment or inline"),
    INVALID_HEADER_NAME(400, "a custom header name outside RFC 5322 ftext"),
    HEADER_NOT_ALLOWED(400, "a header Mailbus writes itself (From, To, Subject, Content-*, DKIM-Signature...) or one "
            + "a receiving system trusts (Authentication-Results, X-Spam-*, X-MS-Exchange-*, X-Mailbus-*...)"),
    HEADER_TOO_LONG(400, "a custom header's \"name: value\" over 998 characters"),
    UNKNOWN_SERVER(400, "server names no configured SMTP route"),
    REQUEST_TOO_LARGE(413, "the whole request: an HTTP body over mailbus.http.max-body-bytes, or more than this "
            + "instance's heap can hold"),
    UNSUPPORTED_MESSAGE_TYPE(400, "JMS only: a message that is not a text or bytes message (an ObjectMessage is never "
            + "deserialised)"),
    MESSAGE_TOO_LARGE(413, "JMS and Kafka: a message over mailbus.bus.max-message-bytes, refused from its size before "
            + "its body is read"),
    INVALID_ENCODING(400, "JMS and Kafka: a bytes payload that is not UTF-8"),
    TOO_MANY_HEADERS(400, "more custom headers than mailbus.limits.max-headers"),
    TOO_MANY_ATTACHMENTS(400, "more attachments than mailbus.limits.max-attachments"),
    TOO_MANY_REPLY_TO(400, "more replyTo mailboxes than mailbus.limits.max-reply-to"),
    TOO_MANY_TAGS(400, "more tags than mailbus.limits.max-tags"),
    TAG_TOO_LONG(400, "a tag over mailbus.limits.max-tag-length characters"),
    TOO_MANY_METADATA_KEYS(400, "more metadata keys than mailbus.limits.max-metadata-keys"),
    METADATA_TOO_LARGE(400, "a metadata key over 128 characters, or a value over "
            + "mailbus.limits.max-metadata-value-chars characters of JSON"),
    QUOTED_LOCAL_PART(400, "an address whose quoted local part needs its quotes (a space, <, >, @, a comma...) "
            + "while mailbus.limits.allow-quoted-local-parts is false"),
    SENDER_NOT_ALLOWED(403, "from (or the default sender) is not in one of the tenant's senderDomains"),
    SERVER_NOT_ALLOWED(403, "server names an SMTP route that is not one of the tenant's servers"),
    TENANT_REQUIRED(403, "JMS and Kafka, with a tenants file: the message carries no MailbusTenant property or header"),
    UNKNOWN_TENANT(403, "JMS and Kafka, with a tenants file: MailbusTenant names no tenant of the file"),
    RATE_LIMITED(429, "HTTP: the tenant's rateLimit is used up; Retry-After says in how many seconds to try again"),
    INVALID_SEND_AT(400, "sendAt is not an ISO-8601 date and time with an offset, e.g. 2026-12-24T09:00:00+01:00"),
    SEND_AT_TOO_FAR(400, "sendAt is further ahead than mailbus.schedule.max-horizon (30 days)"),
    NO_MESSAGES(400, "a batch without any send request"),
    TOO_MANY_MESSAGES(400, "a batch of more send requests than mailbus.batch.max-messages (500)"),
    TEMPLATE_UNKNOWN(400, "template names no folder of mailbus.templates.dir with a subject.mustache"),
    TEMPLATE_VARIABLE_MISSING(400, "a variable the template uses is not in variables (or the personalization's)"),
    TEMPLATE_CONFLICT(400, "subject, text or html given together with template, which provides them"),
    TOO_MANY_PERSONALIZATIONS(400, "more personalizations than mailbus.limits.max-personalizations (500)"),
    RECIPIENTS_CONFLICT(400, "to, cc or bcc given together with personalizations, which name the recipients");

    private final int httpStatus;
    private final String meaning;

    ErrorCode(int httpStatus, String meaning) {
        this.httpStatus = httpStatus;
        this.meaning = meaning;
    }

    /** The code as clients see it, e.g. {@code invalid_address}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status the HTTP edge answers a request with when this is (one of) its errors. */
    public int httpStatus() {
        return httpStatus;
    }

    /** When the code is raised, for people. */
    public String meaning() {
        return meaning;
    }
}
