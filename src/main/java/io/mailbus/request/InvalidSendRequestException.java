package io.mailbus.request;

import java.util.List;

/** A send request that broke one or more rules; carries every error at once, never retried. */
public class InvalidSendRequestException extends RuntimeException {

    private final transient List<ValidationError> errors;

    public InvalidSendRequestException(List<ValidationError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
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
