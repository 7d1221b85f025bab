package io.mailbus.request;

import java.util.List;

/**
 * A valid request its tenant may not make (a sender outside its domains, a server it may not use, no or an unknown
 * tenant on the bus): answered 403 over HTTP; on the bus it goes to {@code email.invalid} like any refusal.
 */
public class ForbiddenSendRequestException extends InvalidSendRequestException {

    public ForbiddenSendRequestException(List<ValidationError> errors, String requestId) {
        super(errors, requestId);
    }
}
