package io.mailbus.smtppool;

/**
 * The server refuses us as we are set up, not this message: credentials it rejects or demands
 * ({@link SmtpAuthenticationException}), TLS it demands or we cannot trust ({@link SmtpTlsException}), or a 5xx
 * greeting or EHLO (the server refuses this client outright, e.g. {@code 554 5.7.1 no SMTP service here}). Sending
 * the same message again without changing the setup fails the same way, but the message itself is fine: keep it to
 * replay once the configuration (or the server's policy) is fixed, and report the server as down.
 */
public class SmtpConfigurationException extends SmtpPermanentException {

    private static final long serialVersionUID = 1L;

    SmtpConfigurationException(String message, SmtpReply reply, Throwable cause) {
        super(message, reply, null, cause);
    }
}
