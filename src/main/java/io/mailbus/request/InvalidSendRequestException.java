package io.mailbus.request;

import java.util.List;

/** A send request that broke one or more rules; carries every error at once, never retried. */
public class InvalidSendRequestException extends RuntimeException {

    private final transient List<ValidationError> errors;
    private final String requestId;

    public InvalidSendRequestException(List<ValidationError> errors) {
        this(errors, null);
    }

    /** @param requestId the request's id when that field itself was valid, so the invalid event can name it */
    public InvalidSendRequestException(List<ValidationError> errors, String requestId) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
        this.requestId = requestId;
    }

    /** The request's id if it had a valid one, else null. */
    public String getRequestId() {
        return requestId;
    }

    public List<ValidationError> getErrors() {
        return errors;
    }

    private static String summary(List<ValidationError> errors) {
        StringBuilder sb = new StringBuilder("invalid send request:");
        for (ValidationError e : errors) {
            sb.append(' ').append(e.field()).append('=').append(e.code()).append(';');
        }
        return sb.toString();
    }
}
