package io.mailbus.smtppool;

import java.util.List;

/** A failure worth retrying later: a 4xx reply, or no reply at all because the network or the pool failed. */
public class SmtpTransientException extends SmtpDeliveryException {

    private static final long serialVersionUID = 1L;

    SmtpTransientException(String message, SmtpReply reply, List<RecipientFailure> failures, Throwable cause) {
        this(message, reply, failures, cause, false);
    }

    SmtpTransientException(String message, SmtpReply reply, List<RecipientFailure> failures, Throwable cause,
                           boolean possiblyDelivered) {
        super(message, reply, failures, cause, possiblyDelivered);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
