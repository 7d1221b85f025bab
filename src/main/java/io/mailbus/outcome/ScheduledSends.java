package io.mailbus.outcome;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mailbus.MailbusHeaders;
import io.mailbus.outcome.OutcomeQueues.Queue;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestJson;
import jakarta.jms.JMSException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled send: a validated request whose {@code sendAt} is still ahead waits on its own Artemis queue
 * ({@code mailbus.endpoint.scheduled}) with scheduled delivery ({@code _AMQ_SCHED_DELIVERY}), as retries do on
 * {@code email.retry}: no thread waits and a restart loses nothing. It is a queue of its own, not {@code email.send},
 * so that a cancellation can only ever remove a request that is waiting, and the queue's depth is what is scheduled.
 * When it is due the scheduled ingress delivers it as a first attempt (no attempt state is read there either).
 *
 * <p>Every ingress parks here: the HTTP edge before it answers, and the delivery flow for a JMS or Kafka request, in
 * the consume's transaction (JMS) or before the record's offset is committed (Kafka).
 */
public class ScheduledSends {

    /** What a cancellation found. */
    public enum Cancellation {
        /** It was waiting and is removed: it will not be sent. */
        CANCELLED,
        /** It was scheduled and is already on its way (due, being delivered or delivered). */
        NOT_CANCELLABLE,
        /** Nothing waits under this id. */
        NOT_FOUND
    }

    /** The exchange property holding the time a parked request waits for (an ISO instant), for the HTTP answer. */
    public static final String SEND_AT_PROPERTY = "mailbusSendAt";

    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.outcome");
    private static final String RELEASED = "scheduled-released:";

    private final OutcomeQueues queues;
    private final StatusEvents events;
    private final ArtemisQueueManagement management;
    private final String queueName;
    private final IdempotentRepository released;
    private final Clock clock;

    /**
     * @param released where ids of requests that left the queue are remembered, so that a late cancellation is told
     *     409 rather than 404: the delivered-ids store ({@code mailbus.idempotency.store}), shared by every instance
     *     when it is Kafka
     */
    public ScheduledSends(OutcomeQueues queues, EventPublisher events, ArtemisQueueManagement management,
                          String queueName, IdempotentRepository released, Clock clock) {
        this.queues = queues;
        this.events = new StatusEvents(events);
        this.management = management;
        this.queueName = queueName;
        this.released = released;
        this.clock = clock;
    }

    /** Whether the validated request in the body waits for a later time. */
    public boolean isScheduled(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof SendRequest r && r.getSendAt() != null;
    }

    /**
     * The HTTP edge: puts the validated request on the scheduled queue (a blocking durable send, like the one to
     * {@code email.send}) and reports "scheduled". The answer then says {@code scheduled} and when.
     */
    public void parkHttp(Exchange exchange) throws JsonProcessingException {
        SendRequest request = exchange.getMessage().getBody(SendRequest.class);
        Instant at = park(request, "http", exchange.getProperty(MailbusHeaders.TENANT_PROPERTY, String.class));
        exchange.setProperty(SEND_AT_PROPERTY, at.toString());
    }

    /**
     * The delivery flow, after validation: a request from the bus that is not due yet is parked and its exchange
     * ends here; a due one goes on. A request off the scheduled queue whose time has come passes (its {@code sendAt}
     * is past, so validation dropped it).
     */
    public void park(Exchange exchange) throws JsonProcessingException {
        if (!isScheduled(exchange)) {
            return;
        }
        SendRequest request = exchange.getMessage().getBody(SendRequest.class);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        park(request, attempt.ingress(), attempt.tenant());
        exchange.setRouteStop(true);
    }

    /** Parks one validated request with a {@code sendAt} ahead; returns when it will be sent. */
    Instant park(SendRequest request, String ingress, String tenant) throws JsonProcessingException {
        Instant at = Instant.parse(request.getSendAt());
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(MailbusHeaders.REQUEST_ID, request.getId());
        headers.put(MailbusHeaders.INGRESS, ingress);
        if (tenant != null) {
            // the request's tenant, read again (and checked against the tenants file) when it is taken off the queue
            headers.put(MailbusHeaders.TENANT, tenant);
        }
        headers.put(RetryScheduler.SCHEDULED_DELIVERY, at.toEpochMilli());
        queues.send(Queue.SCHEDULED, SendRequestJson.body(request), headers);
        LOG.info("request {} from {} scheduled for {}", request.getId(), ingress, at);
        DeliveryAttempt first = new DeliveryAttempt(ingress, 1, new java.util.EnumMap<>(RetryClass.class),
                clock.instant(), null, new java.util.ArrayList<>()).withTenant(tenant);
        events.publish(StatusEvents.about("scheduled", request.getId(), request, first).nextAttemptAt(at));
        return at;
    }

    /** The scheduled ingress, as a request leaves the queue: from now on it cannot be cancelled. */
    public void released(Exchange exchange) {
        String id = exchange.getMessage().getHeader(MailbusHeaders.REQUEST_ID, String.class);
        if (id != null) {
            released.add(RELEASED + id);
        }
    }

    /**
     * Removes the request {@code id} from the scheduled queue if it still waits there, and reports "cancelled".
     * Only an id is known here, not the request: the event carries no recipients.
     */
    public Cancellation cancel(String id, String tenant) throws JMSException {
        // with tenants, only the caller's tenant's request: another tenant's is "not found", as its status is
        String filter = MailbusHeaders.REQUEST_ID + " = " + quoted(id)
                        + (tenant != null ? " AND " + MailbusHeaders.TENANT + " = " + quoted(tenant) : "");
        int removed = management.removeMessages(queueName, filter);
        if (removed > 0) {
            LOG.info("scheduled request {} cancelled", id);
            events.publish(new StatusEvents.Builder("cancelled", id, "http", 1).tenant(tenant).at(clock.instant()));
            return Cancellation.CANCELLED;
        }
        return released.contains(RELEASED + id) ? Cancellation.NOT_CANCELLABLE : Cancellation.NOT_FOUND;
    }

    /** A string literal of a JMS message selector. */
    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
