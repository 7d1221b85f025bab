package io.mailbus.request;

/**
 * The stable, machine-readable codes of {@link ValidationError}. Clients branch on them, so a code is never
 * renamed or reused for another rule; {@link SendRequestValidator} documents which rule raises which.
 */
public final class ErrorCode {

    public static final String INVALID_JSON = "invalid_json";
    public static final String UNKNOWN_FIELD = "unknown_field";
    public static final String INVALID_TYPE = "invalid_type";
    public static final String REQUIRED = "required";
    public static final String INVALID_ID = "invalid_id";
    public static final String ID_TOO_LONG = "id_too_long";
    public static final String INVALID_ADDRESS = "invalid_address";
    public static final String ADDRESS_TOO_LONG = "address_too_long";
    public static final String NON_ASCII_LOCAL_PART = "non_ascii_local_part";
    public static final String DISPLAY_NAME_TOO_LONG = "display_name_too_long";
    public static final String NO_RECIPIENTS = "no_recipients";
    public static final String TOO_MANY_RECIPIENTS = "too_many_recipients";
    public static final String SUBJECT_TOO_LONG = "subject_too_long";
    public static final String HEADER_INJECTION = "header_injection";
    public static final String INVALID_CHARACTER = "invalid_character";
    public static final String BODY_REQUIRED = "body_required";
    public static final String BODY_TOO_LARGE = "body_too_large";
    public static final String INVALID_BASE64 = "invalid_base64";
    public static final String ATTACHMENT_TOO_LARGE = "attachment_too_large";
    public static final String ATTACHMENTS_TOO_LARGE = "attachments_too_large";
    public static final String INVALID_FILENAME = "invalid_filename";
    public static final String INVALID_CONTENT_TYPE = "invalid_content_type";
    public static final String INVALID_CONTENT_ID = "invalid_content_id";
    public static final String INVALID_DISPOSITION = "invalid_disposition";
    public static final String INVALID_HEADER_NAME = "invalid_header_name";
    public static final String HEADER_NOT_ALLOWED = "header_not_allowed";
    public static final String HEADER_TOO_LONG = "header_too_long";
    public static final String UNKNOWN_SERVER = "unknown_server";

    private ErrorCode() {
    }
}
