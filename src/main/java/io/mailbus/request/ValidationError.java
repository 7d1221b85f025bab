package io.mailbus.request;

/**
 * One broken rule of a send request: which field ({@code to[0]}, {@code attachments[2].data}), which rule
 * (a stable machine-readable {@code code}) and a sentence for a person.
 */
public record ValidationError(String field, String code, String message) {

    /** An error with one of the request's own codes. */
    public ValidationError(String field, ErrorCode code, String message) {
        this(field, code.code(), message);
    }
}
