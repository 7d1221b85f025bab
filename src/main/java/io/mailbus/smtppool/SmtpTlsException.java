package io.mailbus.smtppool;

/**
 * TLS could not be established as configured: STARTTLS required but not offered, an untrusted certificate, a host
 * name that does not match, no common protocol, or the server demanding STARTTLS we were not set up to use
 * ({@code 530 5.7.0 Must issue a STARTTLS command first}). A configuration failure, because sending anyway would
 * expose the message. A handshake the server cut off (EOF, reset) is not one of these: that is a transient
 * connection failure.
 */
public class SmtpTlsException extends SmtpConfigurationException {

    private static final long serialVersionUID = 1L;

    SmtpTlsException(String message, SmtpReply reply, Throwable cause) {
        super(message, reply, cause);
    }
}
