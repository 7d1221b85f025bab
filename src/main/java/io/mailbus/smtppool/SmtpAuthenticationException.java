package io.mailbus.smtppool;

/** The server refused the credentials (typically 535 5.7.8): a configuration error that no retry will fix. */
public class SmtpAuthenticationException extends SmtpPermanentException {

    private static final long serialVersionUID = 1L;

    SmtpAuthenticationException(SmtpReply reply, Throwable cause) {
        super("SMTP authentication failed", reply, null, cause);
    }
}
