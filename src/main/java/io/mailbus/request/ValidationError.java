package io.mailbus.request;

/**
 * One broken rule of a send request: which field ({@code to[0]}, {@code attachments[2].data}), which rule
 * (a stable machine-readable {@code code}) and a sentence for a person.
 */
public record ValidationError(String field, String code, String message) {

    /** Longest field path kept; a longer one (a header name of a megabyte) is cut, marked with an ellipsis. */
    static final int MAX_FIELD_LENGTH = 256;

    /**
     * Field and message may quote what a producer sent (a header name, an unknown key), and both end up in logs
     * and in {@link InvalidSendRequestException#getMessage()}: control characters are escaped ({@code \r},
     * {@code \n}, {@code \t}, {@code \}{@code uXXXX}) so that no request can forge a log line.
     */
    public ValidationError {
        field = Text.printable(field, MAX_FIELD_LENGTH);
        message = Text.printable(message, 4 * MAX_FIELD_LENGTH);
    }

    /** An error with one of the request's own codes. */
    public ValidationError(String field, ErrorCode code, String message) {
        this(field, code.code(), message);
    }
}
