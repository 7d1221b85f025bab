package io.mailbus.smtppool;

import java.util.List;

/** A failure that sending the same message again will not cure: a 5xx reply or a configuration error. */
public class SmtpPermanentException extends SmtpDeliveryException {

    private static final long serialVersionUID = 1L;

    SmtpPermanentException(String message, SmtpReply reply, List<RecipientFailure> failures, Throwable cause) {
        super(message, reply, failures, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
