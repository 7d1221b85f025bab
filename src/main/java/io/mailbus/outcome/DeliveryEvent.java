package io.mailbus.outcome;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.request.ValidationError;

/**
 * One state change of one request, published as JSON to {@code email.events}; the same shape whatever the
 * ingress. Times are ISO-8601 strings so any consumer can read them without a date module.
 *
 * @param event             queued, delivered, partial, deferred, rejected, invalid, failed or duplicate
 * @param eventId           unique per event (a random UUID): webhook receivers and other consumers de-duplicate by
 *                          it, since every delivery of an event is at least once
 * @param id                the request id (client-chosen, generated at the HTTP edge, or derived from the bus message)
 * @param messageId         the Message-ID header, when the message was rendered
 * @param ingress           http, jms or kafka
 * @param tenant            the request's tenant (absent when tenants are off, or a bus request named none it may use)
 * @param attempt           1 for the first delivery attempt
 * @param timestamp         when this state was reached
 * @param nextAttemptAt     for deferred: when the broker hands the request back
 * @param retryClass        for deferred: connection, transient or throttled, whose schedule the wait follows
 * @param reason            for failed: configuration, exhausted or internal; for deferred without a retry class:
 *                          rate_limited or circuit_open (the server could not take it; no attempt was counted)
 * @param possiblyDelivered true when the attempt failed after the whole message was sent and before the server
 *                          answered: the server may have taken it, so the next attempt may deliver a second copy
 * @param recipients        per recipient: accepted, refused, deferred or pending, with the server's reply
 * @param smtpCode          the decisive SMTP reply code (0 when no server answered)
 * @param enhancedCode      the decisive RFC 3463 code
 * @param smtpText          the decisive server reply or failure text
 * @param errors            for invalid: every validation error
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeliveryEvent(String event, String eventId, String id, String messageId, String ingress, String tenant,
                            int attempt, String timestamp,
                            String nextAttemptAt, String retryClass, String reason, Boolean possiblyDelivered,
                            List<RecipientOutcome> recipients, Integer smtpCode, String enhancedCode, String smtpText,
                            List<ValidationError> errors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serialisable", e);
        }
    }
}
