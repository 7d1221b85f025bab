package io.mailbus.outcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.MailbusHeaders;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestJson;
import io.mailbus.request.ValidationError;

/**
 * What a request carries on {@code email.invalid}, {@code email.rejected} and {@code email.dlq}: the body is the
 * request itself (the payload as it came for invalid ones, the normalised JSON otherwise), so moving it back to
 * {@code email.send} replays it; what happened travels in the {@code Mailbus*} properties of {@link MailbusHeaders}.
 * This is the one file to open to change what an outcome message carries.
 */
final class OutcomeMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OutcomeMessages() {
    }

    static Map<String, Object> invalid(DeliveryAttempt attempt, String id, List<ValidationError> errors) {
        Map<String, Object> h = common(attempt, id, "invalid");
        h.put(MailbusHeaders.ERRORS, json(errors));
        h.put(MailbusHeaders.ERROR_CODES, String.join(",", errors.stream().map(ValidationError::code).toList()));
        return h;
    }

    /**
     * @param owed the recipients this copy is about when not every recipient of the request (a replay sends to them
     *             alone), or null
     */
    static Map<String, Object> rejected(DeliveryAttempt attempt, String id, Reply reply,
                                        List<RecipientOutcome> recipients, List<String> owed) {
        Map<String, Object> h = common(attempt, id, "rejected");
        reply(h, reply);
        h.put(MailbusHeaders.RECIPIENTS, json(recipients));
        owed(h, owed);
        return h;
    }

    /** Recipients left out because they are on the suppression list: a copy for them alone on email.rejected. */
    static Map<String, Object> suppressed(DeliveryAttempt attempt, String id, List<RecipientOutcome> recipients,
                                          List<String> owed) {
        Map<String, Object> h = common(attempt, id, "suppressed");
        h.put(MailbusHeaders.RECIPIENTS, json(recipients));
        owed(h, owed);
        return h;
    }

    /** @param reason configuration, exhausted or internal */
    static Map<String, Object> deadLettered(DeliveryAttempt attempt, String id, String reason, Reply reply,
                                            Throwable error, List<RecipientOutcome> recipients, List<String> owed) {
        Map<String, Object> h = common(attempt, id, reason);
        reply(h, reply);
        if (error != null) {
            h.put(MailbusHeaders.LAST_ERROR, String.valueOf(error));
        }
        if (!recipients.isEmpty()) {
            h.put(MailbusHeaders.RECIPIENTS, json(recipients));
        }
        owed(h, owed);
        return h;
    }

    static String json(Object value) {
        try {
            return (value instanceof SendRequest ? SendRequestJson.mapper() : JSON).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable: " + value.getClass().getName(), e);
        }
    }

    private static Map<String, Object> common(DeliveryAttempt attempt, String id, String outcome) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put(MailbusHeaders.OUTCOME, outcome);
        if (id != null) {
            h.put(MailbusHeaders.REQUEST_ID, id);
        }
        h.put(MailbusHeaders.INGRESS, attempt.ingress());
        if (attempt.tenant() != null) {
            h.put(MailbusHeaders.TENANT, attempt.tenant());
        }
        h.put(MailbusHeaders.ATTEMPTS, attempt.number());
        h.put(MailbusHeaders.HISTORY, attempt.historyJson());
        return h;
    }

    private static void reply(Map<String, Object> h, Reply reply) {
        if (reply.code() > 0) {
            h.put(MailbusHeaders.SMTP_CODE, reply.code());
        }
        if (reply.enhancedCode() != null) {
            h.put(MailbusHeaders.ENHANCED_CODE, reply.enhancedCode());
        }
        if (reply.text() != null) {
            h.put(MailbusHeaders.SMTP_TEXT, reply.text());
        }
        if (reply.command() != null) {
            h.put(MailbusHeaders.SMTP_COMMAND, reply.command());
        }
    }

    private static void owed(Map<String, Object> h, List<String> owed) {
        if (owed != null && !owed.isEmpty()) {
            h.put(MailbusHeaders.OWED_RECIPIENTS, DeliveryAttempt.addressesJson(owed));
        }
    }
}
