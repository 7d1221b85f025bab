package io.mailbus.smtppool;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * What happened to one message, in a shape a route can log, store or publish as JSON without knowing SMTP. A plain
 * {@code new ObjectMapper()} writes and reads it (no JavaTimeModule needed): {@code sentAt} is an ISO-8601 string,
 * and the derived {@code refusedRecipients} and {@code deferredRecipients} are written for readers but ignored on
 * reading, since they follow from {@code recipientFailures}.
 * <p>
 * For outcome routing the recipients fall into three lists: {@link #acceptedRecipients()} got the message,
 * {@link #refusedRecipients()} were refused for good (5xx) and {@link #deferredRecipients()} were refused for now
 * (4xx) and may be retried later. {@code retryable} is about the message as a whole: it stays false for a PARTIAL
 * result, because resending would duplicate the message for the accepted recipients.
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
@JsonIgnoreProperties(value = { "refusedRecipients", "deferredRecipients" }, allowGetters = true)
public record DeliveryResult(DeliveryStatus status, String messageId,
                             @JsonSerialize(using = ToStringSerializer.class)
                             @JsonDeserialize(using = IsoInstantDeserializer.class) Instant sentAt,
                             List<String> acceptedRecipients, List<RecipientFailure> recipientFailures,
                             boolean retryable, int retryCount, int smtpCode, String enhancedCode, String smtpError) {

    public DeliveryResult {
        acceptedRecipients = acceptedRecipients == null ? List.of() : List.copyOf(acceptedRecipients);
        recipientFailures = recipientFailures == null ? List.of() : List.copyOf(recipientFailures);
    }

    /** The recipients refused for good (5xx): do not retry them. */
    @JsonProperty("refusedRecipients")
    public List<RecipientFailure> refusedRecipients() {
        return recipientFailures.stream().filter(f -> !f.isTransient()).toList();
    }

    /** The recipients refused for now (4xx, e.g. greylisting or a full mailbox): retry them, and only them, later. */
    @JsonProperty("deferredRecipients")
    public List<RecipientFailure> deferredRecipients() {
        return recipientFailures.stream().filter(RecipientFailure::isTransient).toList();
    }

    /** Reads the ISO-8601 {@code sentAt} back without Jackson's JavaTimeModule. */
    static final class IsoInstantDeserializer extends StdScalarDeserializer<Instant> {

        private static final long serialVersionUID = 1L;

        IsoInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
            }
        }
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
        boolean rejection = e.getReplyCode() >= 500 && !(e instanceof SmtpConfigurationException);
        return rejection ? DeliveryStatus.REJECTED : DeliveryStatus.FAILED;
    }
}
