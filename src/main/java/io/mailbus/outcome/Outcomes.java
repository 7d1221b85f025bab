package io.mailbus.outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestJson;
import io.mailbus.request.ValidationError;
import io.mailbus.smtppool.DeliveryResult;
import io.mailbus.smtppool.DeliveryStatus;
import io.mailbus.smtppool.RecipientFailure;
import io.mailbus.smtppool.SmtpDeliveryException;
import io.mailbus.smtppool.SmtpPoolConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and records what became of each request: one bean whose methods the delivery flow and the
 * {@code outcomes} route configuration call at each state change. Each method prepares the exchange for the
 * next {@code to:} in the YAML (the destination's body and headers) and publishes the matching status event.
 *
 * <p>Bodies sent to {@code email.invalid}, {@code email.rejected}, {@code email.dlq} and back to
 * {@code email.send} are the request itself, byte for byte or as the normalised JSON, so an operator can
 * replay one by moving it back to {@code email.send}; what happened travels in {@code Mailbus*} headers.
 *
 * <p>Transient failures are not retried in memory: the request goes back to the broker with Artemis's
 * scheduled delivery ({@code _AMQ_SCHED_DELIVERY}) and its attempt count, so a long wait holds no consumer
 * thread and survives a restart of the application.
 */
public class Outcomes {

    /** Set by {@link #accepted} when the request id was already delivered: the flow stops. */
    public static final String DUPLICATE = "mailbusDuplicate";
    /** Set when the exchange now carries a retry for {@code mailbus.endpoint.retry}. */
    public static final String RETRY = "mailbusRetry";
    /** The validated request, kept while the body becomes MIME bytes. */
    public static final String REQUEST = "mailbusRequest";
    static final String ORIGINAL_PAYLOAD = "mailbusOriginalPayload";
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";

    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.outcome");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RetryPolicy retryPolicy;
    private final IdempotentRepository delivered;
    private final EventPublisher events;

    public Outcomes(RetryPolicy retryPolicy, IdempotentRepository delivered, EventPublisher events) {
        this.retryPolicy = retryPolicy;
        this.delivered = delivered;
        this.events = events;
    }

    public void fromJms(Exchange exchange) {
        begin(exchange, "jms");
    }

    public void fromKafka(Exchange exchange) {
        begin(exchange, "kafka");
    }

    private static void begin(Exchange exchange, String ingress) {
        DeliveryAttempt.begin(exchange, ingress);
        exchange.setProperty(ORIGINAL_PAYLOAD, exchange.getMessage().getBody(String.class));
    }

    /**
     * After validation: remembers the request, drops an id already delivered, and on a first attempt reports
     * "queued". Reported here for every ingress, HTTP included, so that it always precedes the request's later
     * events on the same thread and transaction.
     */
    public void accepted(Exchange exchange) {
        SendRequest request = exchange.getMessage().getBody(SendRequest.class);
        exchange.setProperty(REQUEST, request);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        if (attempt.retryRecipients() == null && delivered.contains(request.getId())) {
            exchange.setProperty(DUPLICATE, true);
            LOG.info("request {} was already delivered: not sent again", request.getId());
            events.publish(event("duplicate", request, null, attempt.ingress(), attempt.number()).build());
            return;
        }
        if (attempt.number() == 1) {
            events.publish(event("queued", request, null, attempt.ingress(), 1).build());
        }
    }

    /** On a retry after partial delivery, only the recipients still owed the message get it. */
    public void restrictEnvelope(Exchange exchange) {
        List<String> owed = DeliveryAttempt.of(exchange).retryRecipients();
        if (owed == null) {
            return;
        }
        Message m = exchange.getMessage();
        @SuppressWarnings("unchecked")
        List<String> envelope = m.getHeader(SmtpPoolConstants.ENVELOPE_TO, List.class);
        Set<String> wanted = new LinkedHashSet<>();
        owed.forEach(a -> wanted.add(a.toLowerCase(Locale.ROOT)));
        List<String> narrowed = envelope.stream().filter(a -> wanted.contains(a.toLowerCase(Locale.ROOT))).toList();
        if (narrowed.isEmpty()) {
            throw new IllegalStateException("retry names no recipient of the request");
        }
        m.setHeader(SmtpPoolConstants.ENVELOPE_TO, narrowed);
    }

    /** The server took the message for some or all recipients. */
    public void delivered(Exchange exchange) {
        DeliveryResult result = exchange.getMessage().getHeader(SmtpPoolConstants.DELIVERY_RESULT, DeliveryResult.class);
        SendRequest request = exchange.getProperty(REQUEST, SendRequest.class);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        boolean partial = result.status() == DeliveryStatus.PARTIAL || !result.recipientFailures().isEmpty();
        List<RecipientOutcome> recipients = new ArrayList<>();
        result.acceptedRecipients().forEach(a -> recipients.add(RecipientOutcome.accepted(a)));
        result.recipientFailures().forEach(f -> recipients.add(RecipientOutcome.of(f)));
        List<RecipientFailure> deferred = result.deferredRecipients();
        delivered.add(request.getId());
        events.publish(event(partial ? "partial" : "delivered", request, result.messageId(), attempt.ingress(),
                attempt.number()).recipients(recipients).reply(result.smtpCode(), result.enhancedCode(), result.smtpError())
                .build());
        if (!deferred.isEmpty()) {
            RecipientFailure first = deferred.get(0);
            RetryClass retryClass = RetryClass.of(first.code(), first.enhancedCode(), first.text());
            attempt.record(historyEntry(attempt.number(), first.code(), first.enhancedCode(), first.text()));
            List<String> owed = deferred.stream().map(RecipientFailure::address).toList();
            Optional<Duration> delay = retryPolicy.delayAfter(retryClass, attempt.number());
            if (delay.isPresent()) {
                prepareRetry(exchange, request, attempt, owed, delay.get(), recipients, first.code(), first.enhancedCode(),
                        first.text(), result.messageId());
            } else {
                LOG.warn("request {}: recipients {} still deferred after {} attempts; given up", request.getId(), owed,
                        attempt.number());
                events.publish(event("failed", request, result.messageId(), attempt.ingress(), attempt.number())
                        .recipients(recipients).reply(first.code(), first.enhancedCode(), first.text()).build());
            }
        }
    }

    /** The request broke a rule: the original payload and the errors, for {@code email.invalid}. */
    public void invalid(Exchange exchange) throws JsonProcessingException {
        InvalidSendRequestException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidSendRequestException.class);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(exchange.getProperty(ORIGINAL_PAYLOAD, String.class));
        m.setHeader("MailbusErrors", JSON.writeValueAsString(e.getErrors()));
        m.setHeader("MailbusErrorCodes", String.join(",", e.getErrors().stream().map(ValidationError::code).toList()));
        m.setHeader(DeliveryAttempt.INGRESS_HEADER, attempt.ingress());
        LOG.warn("invalid request from {}: {}", attempt.ingress(), e.getMessage());
        events.publish(new EventBuilder("invalid", idOf(exchange), null, attempt.ingress(), attempt.number())
                .errors(e.getErrors()).build());
    }

    /** A permanent refusal (5xx): the request and the server's reply, for {@code email.rejected}. */
    public void rejected(Exchange exchange) throws JsonProcessingException {
        SmtpDeliveryException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SmtpDeliveryException.class);
        SendRequest request = exchange.getProperty(REQUEST, SendRequest.class);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        String messageId = exchange.getMessage().getHeader("MailbusMessageId", String.class);
        attempt.record(historyEntry(attempt.number(), e.getReplyCode(), e.getEnhancedCode(), e.getServerText()));
        List<RecipientOutcome> recipients = recipientsOf(exchange, e);
        prepareForQueue(exchange, request, attempt, e, recipients);
        LOG.warn("request {} rejected: {}", request.getId(), e.getMessage());
        events.publish(event("rejected", request, messageId, attempt.ingress(), attempt.number()).recipients(recipients)
                .reply(e.getReplyCode(), e.getEnhancedCode(), textOf(e)).build());
    }

    /** A transient failure: back to the broker for later, or to {@code email.dlq} when the schedule is used up. */
    public void transientFailure(Exchange exchange) throws JsonProcessingException {
        SmtpDeliveryException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SmtpDeliveryException.class);
        SendRequest request = exchange.getProperty(REQUEST, SendRequest.class);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        String messageId = exchange.getMessage().getHeader("MailbusMessageId", String.class);
        attempt.record(historyEntry(attempt.number(), e.getReplyCode(), e.getEnhancedCode(), textOf(e)));
        List<RecipientOutcome> recipients = recipientsOf(exchange, e);
        Optional<Duration> delay = retryPolicy.delayAfter(RetryClass.of(e), attempt.number());
        if (delay.isPresent()) {
            List<String> owed = attempt.retryRecipients();
            prepareRetry(exchange, request, attempt, owed, delay.get(), recipients, e.getReplyCode(), e.getEnhancedCode(),
                    textOf(e), messageId);
            return;
        }
        prepareForQueue(exchange, request, attempt, e, recipients);
        LOG.warn("request {} failed after {} attempts: {}", request.getId(), attempt.number(), e.getMessage());
        events.publish(event("failed", request, messageId, attempt.ingress(), attempt.number()).recipients(recipients)
                .reply(e.getReplyCode(), e.getEnhancedCode(), textOf(e)).build());
    }

    /** Anything unexpected (and SMTP configuration errors): to {@code email.dlq}, with what happened. */
    public void failed(Exchange exchange) throws JsonProcessingException {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SendRequest request = exchange.getProperty(REQUEST, SendRequest.class);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        int code = e instanceof SmtpDeliveryException s ? s.getReplyCode() : 0;
        String enhanced = e instanceof SmtpDeliveryException s ? s.getEnhancedCode() : null;
        attempt.record(historyEntry(attempt.number(), code, enhanced, String.valueOf(e)));
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(request != null ? SendRequestJson.mapper().writeValueAsString(request)
                : exchange.getProperty(ORIGINAL_PAYLOAD, String.class));
        m.setHeader("MailbusLastError", String.valueOf(e));
        m.setHeader("MailbusAttempts", attempt.number());
        m.setHeader(DeliveryAttempt.HISTORY_HEADER, attempt.historyJson());
        m.setHeader(DeliveryAttempt.INGRESS_HEADER, attempt.ingress());
        if (code > 0) {
            m.setHeader("MailbusSmtpCode", code);
        }
        LOG.error("request {} failed unexpectedly: {}", idOf(exchange), String.valueOf(e), e);
        events.publish(new EventBuilder("failed", idOf(exchange), null, attempt.ingress(), attempt.number())
                .reply(code, enhanced, String.valueOf(e)).build());
    }

    private void prepareRetry(Exchange exchange, SendRequest request, DeliveryAttempt attempt, List<String> owed,
                              Duration delay, List<RecipientOutcome> recipients, int code, String enhanced, String text,
                              String messageId) {
        Instant next = Instant.now().plus(delay);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        try {
            m.setBody(SendRequestJson.mapper().writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        m.setHeader(DeliveryAttempt.ATTEMPT_HEADER, String.valueOf(attempt.number() + 1));
        m.setHeader(DeliveryAttempt.INGRESS_HEADER, attempt.ingress());
        m.setHeader(DeliveryAttempt.HISTORY_HEADER, attempt.historyJson());
        if (owed != null) {
            m.setHeader(DeliveryAttempt.RETRY_RECIPIENTS_HEADER, String.join(",", owed));
        }
        m.setHeader(SCHEDULED_DELIVERY, next.toEpochMilli());
        exchange.setProperty(RETRY, true);
        LOG.info("request {} deferred after attempt {} ({} {}): next attempt at {}", request.getId(), attempt.number(), code,
                text, next);
        events.publish(event("deferred", request, messageId, attempt.ingress(), attempt.number()).recipients(recipients)
                .reply(code, enhanced, text).nextAttemptAt(next.toString()).build());
    }

    private static void prepareForQueue(Exchange exchange, SendRequest request, DeliveryAttempt attempt,
                                        SmtpDeliveryException e, List<RecipientOutcome> recipients)
            throws JsonProcessingException {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(SendRequestJson.mapper().writeValueAsString(request));
        m.setHeader("MailbusSmtpCode", e.getReplyCode());
        if (e.getEnhancedCode() != null) {
            m.setHeader("MailbusEnhancedCode", e.getEnhancedCode());
        }
        m.setHeader("MailbusSmtpText", textOf(e));
        m.setHeader("MailbusSmtpCommand", e.getCommand());
        m.setHeader("MailbusRecipients", JSON.writeValueAsString(recipients));
        m.setHeader("MailbusAttempts", attempt.number());
        m.setHeader(DeliveryAttempt.HISTORY_HEADER, attempt.historyJson());
        m.setHeader(DeliveryAttempt.INGRESS_HEADER, attempt.ingress());
    }

    private static List<RecipientOutcome> recipientsOf(Exchange exchange, SmtpDeliveryException e) {
        Map<String, RecipientOutcome> byAddress = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<String> envelope = exchange.getMessage().getHeader(SmtpPoolConstants.ENVELOPE_TO, List.class);
        if (envelope != null) {
            envelope.forEach(a -> byAddress.put(a.toLowerCase(Locale.ROOT), RecipientOutcome.pending(a)));
        }
        for (RecipientFailure f : e.getRecipientFailures()) {
            byAddress.put(f.address().toLowerCase(Locale.ROOT), RecipientOutcome.of(f));
        }
        return new ArrayList<>(byAddress.values());
    }

    private static Map<String, Object> historyEntry(int attempt, int code, String enhanced, String text) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("attempt", attempt);
        entry.put("at", Instant.now().toString());
        entry.put("code", code);
        if (enhanced != null) {
            entry.put("enhancedCode", enhanced);
        }
        entry.put("text", text);
        return entry;
    }

    private static String textOf(SmtpDeliveryException e) {
        return e.getServerText() != null ? e.getServerText() : e.getMessage();
    }

    private static String idOf(Exchange exchange) {
        SendRequest request = exchange.getProperty(REQUEST, SendRequest.class);
        return request != null ? request.getId() : null;
    }

    private static EventBuilder event(String name, SendRequest request, String messageId, String ingress, int attempt) {
        EventBuilder b = new EventBuilder(name, request.getId(), messageId, ingress, attempt);
        List<RecipientOutcome> all = new ArrayList<>();
        for (List<String> list : List.of(request.getTo(), request.getCc(), request.getBcc())) {
            list.forEach(a -> all.add(RecipientOutcome.pending(a)));
        }
        return b.recipients(all);
    }

    /** Assembles a {@link DeliveryEvent}; only here so the many optional fields stay readable. */
    static final class EventBuilder {
        private final String event;
        private final String id;
        private final String messageId;
        private final String ingress;
        private final int attempt;
        private List<RecipientOutcome> recipients = List.of();
        private Integer code;
        private String enhanced;
        private String text;
        private String next;
        private List<ValidationError> errors = List.of();

        EventBuilder(String event, String id, String messageId, String ingress, int attempt) {
            this.event = event;
            this.id = id;
            this.messageId = messageId;
            this.ingress = ingress;
            this.attempt = attempt;
        }

        EventBuilder recipients(List<RecipientOutcome> r) {
            this.recipients = r;
            return this;
        }

        EventBuilder reply(int code, String enhanced, String text) {
            this.code = code;
            this.enhanced = enhanced;
            this.text = text;
            return this;
        }

        EventBuilder nextAttemptAt(String next) {
            this.next = next;
            return this;
        }

        EventBuilder errors(List<ValidationError> errors) {
            this.errors = errors;
            return this;
        }

        DeliveryEvent build() {
            return new DeliveryEvent(event, id, messageId, ingress, attempt, Instant.now().toString(), next, recipients,
                    code, enhanced, text, errors);
        }
    }
}
