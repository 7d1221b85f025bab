package io.mailbus.smtppool;

import java.time.Instant;
import java.util.List;

/**
 * What happened to one message, in a shape a route can log, store or publish as JSON without knowing SMTP.
 *
 * @param status             the coarse outcome
 * @param messageId          the Message-ID header of the message, if it had one
 * @param sentAt             when the server answered (or the failure happened)
 * @param acceptedRecipients the recipients the server accepted
 * @param recipientFailures  the recipients the server refused, each with its own reply
 * @param retryable          whether sending again later can succeed
 * @param retryCount         how many times Camel had redelivered this exchange before this attempt
 * @param smtpCode           the decisive reply code (0 when there was no reply)
 * @param enhancedCode       the decisive RFC 3463 code, or null
 * @param smtpError          the decisive server reply or failure text on failure, null on success
 */
public record DeliveryResult(DeliveryStatus status, String messageId, Instant sentAt, List<String> acceptedRecipients,
                             List<RecipientFailure> recipientFailures, boolean retryable, int retryCount,
                             int smtpCode, String enhancedCode, String smtpError) {

    public DeliveryResult {
        acceptedRecipients = acceptedRecipients == null ? List.of() : List.copyOf(acceptedRecipients);
        recipientFailures = recipientFailures == null ? List.of() : List.copyOf(recipientFailures);
    }

    static DeliveryResult of(SmtpDeliveryException e, String messageId, int retryCount) {
        return new DeliveryResult(statusOf(e), messageId, Instant.now(), List.of(), e.getRecipientFailures(),
                                  e.isTransient(), retryCount, e.getReplyCode(), e.getEnhancedCode(),
                                  e.getServerText() != null ? e.getServerText() : e.getMessage());
    }

    private static DeliveryStatus statusOf(SmtpDeliveryException e) {
        if (e instanceof SmtpInvalidMessageException) {
            return DeliveryStatus.INVALID;
        }
        if (e.isTransient()) {
            return DeliveryStatus.TEMP_FAILED;
        }
        boolean rejection = e.getReplyCode() >= 500 && !(e instanceof SmtpAuthenticationException)
                            && !(e instanceof SmtpTlsException);
        return rejection ? DeliveryStatus.REJECTED : DeliveryStatus.FAILED;
    }
}
