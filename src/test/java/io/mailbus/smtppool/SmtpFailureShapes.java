package io.mailbus.smtppool;

import java.util.List;

import jakarta.mail.MessagingException;

/**
 * {@link SmtpDeliveryException}s as the component throws them, for tests of what the application does with one: the
 * reply as a server words it, the step, and Angus's exception as the cause.
 */
public final class SmtpFailureShapes {

    private SmtpFailureShapes() {
    }

    /** A 4xx (or, with code 0, a fault without a reply) at {@code command}. */
    public static SmtpDeliveryException transientAt(String command, int code, String reply) {
        return new SmtpTransientException("Server refused " + command, SmtpReply.of(command, code, reply), List.of(),
                new MessagingException(reply));
    }

    /** A 5xx at {@code command}. */
    public static SmtpDeliveryException permanentAt(String command, int code, String reply) {
        return new SmtpPermanentException("Server refused " + command, SmtpReply.of(command, code, reply), List.of(),
                new MessagingException(reply));
    }

    /** Every recipient refused at RCPT TO, each with its own reply. */
    public static SmtpDeliveryException recipientsRefused(RecipientFailure... failures) {
        RecipientFailure last = failures[failures.length - 1];
        return new SmtpRecipientsRejectedException(new SmtpReply("RCPT TO", last.code(), last.enhancedCode(),
                last.text()), List.of(failures), new MessagingException("Invalid Addresses"));
    }

    /** 535 at AUTH. */
    public static SmtpDeliveryException authenticationFailed() {
        return new SmtpAuthenticationException(SmtpReply.of("AUTH", 535,
                "535 5.7.8 Error: authentication failed: authentication failure"),
                new jakarta.mail.AuthenticationFailedException("535 5.7.8 Error: authentication failed"));
    }
}
