package io.mailbus.smtppool;

/** The exchange did not carry a usable envelope or body; permanent, because the same input fails again. */
public class SmtpInvalidMessageException extends SmtpPermanentException {

    private static final long serialVersionUID = 1L;

    SmtpInvalidMessageException(String message, Throwable cause) {
        super(message, SmtpReply.none(null), null, cause);
    }
}
