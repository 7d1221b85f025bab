package io.mailbus.smtppool;

/**
 * The server refused our credentials (typically {@code 535 5.7.8}), does not offer the AUTH we are set up for
 * ({@code 503 5.5.1 Error: authentication not enabled}) or demands authentication we did not give
 * ({@code 530 5.7.0 Authentication required} at MAIL FROM or RCPT TO): a configuration failure that no retry will
 * fix. A temporary AUTH failure ({@code 454 4.7.0}) is not one of these: it is an {@link SmtpTransientException}.
 */
public class SmtpAuthenticationException extends SmtpConfigurationException {

    private static final long serialVersionUID = 1L;

    SmtpAuthenticationException(SmtpReply reply, Throwable cause) {
        this("SMTP authentication failed", reply, cause);
    }

    SmtpAuthenticationException(String message, SmtpReply reply, Throwable cause) {
        super(message, reply, cause);
    }
}
