package io.mailbus.outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mailbus.MailbusHeaders;
import io.mailbus.tenant.TenantPolicy;
import io.mailbus.outcome.OutcomeQueues.Queue;
import io.mailbus.request.BatchReader;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SpooledJson;
import io.mailbus.request.SendRequestJson;
import io.mailbus.request.SendRequestValidator;
import io.mailbus.request.ValidationError;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch submit: one payload of up to {@code mailbus.batch.max-messages} requests, each validated on its own and, when
 * valid, put on {@code email.send} (or the scheduled queue) by a durable send of its own, so an invalid element
 * stops nothing else and each accepted one is as safe as a single request. The HTTP edge answers per element
 * ({@link #submit}); on the bus ({@link #split}) an invalid element goes to {@code email.invalid} with its index, in
 * the consume's transaction (JMS) or before the record's offset is committed (Kafka).
 *
 * <p>Cost: one blocking persistent send (a journal write the broker confirms) per element, sequentially; a 500-element
 * batch is 500 of them. Elements without an id get the batch's id plus their index on the bus (so a redelivered
 * batch gives the same ids, and the delivery side's duplicate check stops a second copy), a random one over HTTP
 * (like a single request).
 */
public class Batches {

    /** What became of one element: queued or scheduled with its id, or its errors. */
    public record Result(int index, String id, String status, String sendAt, List<ValidationError> errors) {
    }

    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.outcome");

    private final SendRequestValidator validator;
    private final ScheduledSends scheduled;
    private final OutcomeQueues queues;
    private final StatusEvents events;
    private final int maxMessages;
    private TenantPolicy policy;

    public Batches(SendRequestValidator validator, ScheduledSends scheduled, OutcomeQueues queues,
                   EventPublisher events, int maxMessages) {
        this.validator = validator;
        this.scheduled = scheduled;
        this.queues = queues;
        this.events = new StatusEvents(events);
        this.maxMessages = maxMessages;
    }

    /** What each element of an HTTP batch is checked against, as a single request is at the edge; null: tenants off. */
    public void setTenantPolicy(TenantPolicy policy) {
        this.policy = policy;
    }

    /**
     * The HTTP edge: every element validated and, when valid, queued; nothing of an invalid one is sent anywhere (as
     * for a single request, the client is told). Once the broker fails a send, the elements after it are not tried
     * and answer {@code queue_unavailable}: what was queued before stays queued.
     *
     * @throws InvalidSendRequestException when the batch as a whole is unusable (see {@link BatchReader})
     */
    public List<Result> submit(String body, String tenant) {
        List<String> elements = BatchReader.elements(body, maxMessages);
        List<Result> results = new ArrayList<>(elements.size());
        RuntimeException brokerDown = null;
        for (int i = 0; i < elements.size(); i++) {
            SendRequest request;
            try {
                request = validator.validate(elements.get(i), null);
            } catch (InvalidSendRequestException invalid) {
                results.add(new Result(i, invalid.getRequestId(), null, null, invalid.getErrors()));
                continue;
            }
            List<ValidationError> refused = policy == null ? List.of() : policy.refusals(tenant, false, request);
            if (!refused.isEmpty()) {
                results.add(new Result(i, request.getId(), null, null, refused));
                continue;
            }
            if (brokerDown == null) {
                try {
                    results.add(accept(request, "http", i, tenant));
                    continue;
                } catch (RuntimeException | JsonProcessingException e) {
                    brokerDown = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                    LOG.warn("batch element {} not queued, nor any after it: {}", i, String.valueOf(e));
                }
            }
            results.add(new Result(i, request.getId(), null, null, List.of(new ValidationError("", "queue_unavailable",
                    "the request could not be queued; nothing of it was accepted, retry it"))));
        }
        return results;
    }

    /**
     * The delivery flow, before validation: a bus payload that is a JSON array (or {@code {"messages": [...]}}) is
     * split here and its exchange ends; any other payload goes on unchanged. A batch unusable as a whole is thrown as
     * invalid, so the outcomes handler moves the payload to {@code email.invalid}.
     */
    public void split(Exchange exchange) throws JsonProcessingException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof SpooledJson spooled && isBatch(head(spooled))) {
            // a large batch off the bus is split as before, read whole: its elements are each a request of their own
            body = readString(spooled);
        }
        if (!(body instanceof String text) || !isBatch(text)) {
            return;
        }
        List<String> elements = BatchReader.elements(text, maxMessages);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        String batchId = exchange.getProperty(MailbusHeaders.DEFAULT_ID_PROPERTY, String.class);
        for (int i = 0; i < elements.size(); i++) {
            SendRequest request;
            try {
                request = validator.validate(elements.get(i), batchId == null ? null : batchId + "-" + i);
            } catch (InvalidSendRequestException invalid) {
                Map<String, Object> headers = OutcomeMessages.invalid(attempt, invalid.getRequestId(),
                        invalid.getErrors());
                headers.put(MailbusHeaders.BATCH_INDEX, i);
                queues.send(Queue.INVALID, elements.get(i), headers);
                LOG.warn("invalid element {} of a batch from {}: {}", i, attempt.ingress(), invalid.getMessage());
                events.publish(new StatusEvents.Builder("invalid", invalid.getRequestId(), attempt.ingress(), 1)
                        .errors(invalid.getErrors()));
                continue;
            }
            accept(request, attempt.ingress(), i, attempt.tenant());
        }
        LOG.info("batch of {} from {} split", elements.size(), attempt.ingress());
        exchange.setRouteStop(true);
    }

    /** The exchange property holding a personalised HTTP request's results, for the 202 answer. */
    public static final String FAN_OUT_PROPERTY = "mailbusFanOut";

    /** Whether the validator expanded a personalised request into its messages. */
    public boolean isFanOut(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof List;
    }

    /**
     * The delivery flow, after validation: a personalised request from the bus becomes its messages, each put on
     * {@code email.send} (or the scheduled queue) on its own with its derived id; the request's exchange ends here.
     */
    public void fanOut(Exchange exchange) throws JsonProcessingException {
        if (!isFanOut(exchange)) {
            return;
        }
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        String ingress = attempt.ingress();
        List<?> messages = exchange.getMessage().getBody(List.class);
        for (int i = 0; i < messages.size(); i++) {
            accept((SendRequest) messages.get(i), ingress, i, attempt.tenant());
        }
        LOG.info("personalised request {} from {}: {} messages", exchange.getMessage().getHeader(
                MailbusHeaders.REQUEST_ID), ingress, messages.size());
        exchange.setRouteStop(true);
    }

    /**
     * The HTTP edge: a personalised request's messages, each queued by a durable send of its own. A broker failure
     * part-way is thrown (503): what was queued stays queued, and the same request sent again derives the same ids,
     * so those already delivered are not sent twice.
     */
    public void fanOutHttp(Exchange exchange) throws JsonProcessingException {
        List<?> messages = exchange.getMessage().getBody(List.class);
        List<Result> results = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            results.add(accept((SendRequest) messages.get(i), "http", i,
                    exchange.getProperty(MailbusHeaders.TENANT_PROPERTY, String.class)));
        }
        exchange.setProperty(FAN_OUT_PROPERTY, results);
    }

    /** The first bytes of a spooled request, enough to tell a batch from a request. */
    private static String head(SpooledJson spooled) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(spooled.file())) {
            return new String(in.readNBytes(256), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readString(SpooledJson spooled) {
        try {
            return java.nio.file.Files.readString(spooled.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether a bus payload is a batch: a JSON array, or an object whose first member is messages. */
    static boolean isBatch(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '[' || (c == '{' && text.startsWith("\"messages\"", skipSpace(text, i + 1)));
            }
        }
        return false;
    }

    private static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Queues (or parks) one message with its tenant, which the ingress that takes it off the queue checks again. */
    private Result accept(SendRequest request, String ingress, int index, String tenant)
            throws JsonProcessingException {
        if (request.getSendAt() != null) {
            Instant at = scheduled.park(request, ingress, tenant);
            return new Result(index, request.getId(), "scheduled", at.toString(), null);
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(MailbusHeaders.REQUEST_ID, request.getId());
        headers.put(MailbusHeaders.INGRESS, ingress);
        headers.put(MailbusHeaders.BATCH_INDEX, index);
        if (tenant != null) {
            headers.put(MailbusHeaders.TENANT, tenant);
        }
        queues.send(Queue.SEND, SendRequestJson.body(request), headers);
        return new Result(index, request.getId(), "queued", null, null);
    }
}
