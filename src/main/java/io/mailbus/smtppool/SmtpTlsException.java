package io.mailbus.smtppool;

/**
 * TLS could not be established as configured: STARTTLS required but not offered, an untrusted certificate or a
 * host name that does not match. Permanent, because sending anyway would expose the message.
 */
public class SmtpTlsException extends SmtpPermanentException {

    private static final long serialVersionUID = 1L;

    SmtpTlsException(String message, SmtpReply reply, Throwable cause) {
        super(message, reply, null, cause);
    }
}
