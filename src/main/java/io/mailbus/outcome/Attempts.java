package io.mailbus.outcome;

import java.time.Clock;

import io.mailbus.MailbusHeaders;
import io.mailbus.ingress.BusPayload;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.SendRequest;
import io.mailbus.request.Spool;
import io.mailbus.request.SpooledJson;
import io.mailbus.tenant.Tenants;
import jakarta.jms.JMSException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Begins each delivery attempt. The ingress steps ({@link #fromJms}, {@link #fromKafka}, {@link #fromRetry}) read
 * the payload (see {@link BusPayload}) and, for a scheduled retry only, the attempt state off the message while its
 * transport headers are still there; they keep the payload for {@code email.invalid} and name the id a request
 * without one will get: derived from the JMS message id or the Kafka record's topic, partition and offset, so a
 * redelivery of the same message keeps its id and is recognised. {@link #begin} runs after validation:
 * it stops a request already delivered, itself, and reports "queued" for a first attempt.
 */
public class Attempts {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.outcome");

    private final DeliveredIds deliveredIds;
    private final StatusEvents events;
    private final Clock clock;
    private final long maxBusMessageBytes;
    private Tenants tenants;

    public Attempts(DeliveredIds deliveredIds, EventPublisher events, Clock clock, long maxBusMessageBytes) {
        this.deliveredIds = deliveredIds;
        this.events = new StatusEvents(events);
        this.clock = clock;
        this.maxBusMessageBytes = maxBusMessageBytes;
    }

    /** The tenants a bus message's {@link MailbusHeaders#TENANT} is checked against; unset: tenants are off. */
    public void setTenants(Tenants tenants) {
        this.tenants = tenants;
    }

    /**
     * A request on {@code email.send}: always a first attempt, whatever {@code Mailbus*} properties its producer set.
     * The raw JMS message is read here (the route does not let camel-jms map it): only text and UTF-8 bytes, under
     * {@code mailbus.bus.max-message-bytes}; anything else is refused before its body is touched.
     */
    public void fromJms(Exchange exchange) throws JMSException {
        fromQueue(exchange, false);
    }

    /** A scheduled retry on {@code email.retry}, a queue only Mailbus writes: its attempt state is read. */
    public void fromRetry(Exchange exchange) throws JMSException {
        fromQueue(exchange, true);
    }

    private void fromQueue(Exchange exchange, boolean retry) throws JMSException {
        Message m = exchange.getMessage();
        String messageId = m.getHeader("JMSMessageID", String.class);
        start(exchange, "jms", messageId == null ? null : "jms-" + messageId.replaceFirst("^ID:", ""), retry);
        if (m.getBody() instanceof jakarta.jms.Message jms) {
            StringBuilder excerpt = new StringBuilder();
            try {
                m.setBody(BusPayload.read(jms, maxBusMessageBytes, excerpt, () -> Spool.of(exchange)));
            } catch (InvalidSendRequestException refused) {
                exchange.setProperty(MailbusHeaders.ORIGINAL_PAYLOAD_PROPERTY, excerpt.toString());
                throw refused;
            }
            // a large request is kept as its file, which email.invalid gets streamed (a File body)
            exchange.setProperty(MailbusHeaders.ORIGINAL_PAYLOAD_PROPERTY,
                    m.getBody() instanceof SpooledJson spooled ? spooled.file().toFile() : m.getBody());
            exchange.setMessage(payloadOnly(exchange, m.getBody()));
        }
    }

    /**
     * The payload alone, in a plain Camel message, once the JMS message has been read. Kept as camel-jms's message,
     * every later copy of it (the marshal step's out message) is a camel-jms message without a JMS message, whose
     * redelivery check throws and catches a NullPointerException (camel-jms 4.18 {@code JmsMessage.newInstance}):
     * a Throwable with its stack per message, ~3 % of a delivery thread's CPU samples in issue 13's profile. Nothing
     * past this step reads the JMS headers: the delivery flow drops every inbound header first.
     */
    private static Message payloadOnly(Exchange exchange, Object body) {
        Message plain = new DefaultMessage(exchange);
        plain.setBody(body);
        return plain;
    }

    /**
     * A Kafka record: its value arrives as bytes (the route's deserializer does not decode it), so its size is checked
     * before it is decoded or parsed, and it must be UTF-8.
     */
    public void fromKafka(Exchange exchange) {
        Message m = exchange.getMessage();
        Object topic = m.getHeader("kafka.TOPIC");
        Object partition = m.getHeader("kafka.PARTITION");
        Object offset = m.getHeader("kafka.OFFSET");
        start(exchange, "kafka", topic == null || partition == null || offset == null ? null
                : "kafka-" + topic + "-" + partition + "-" + offset, false);
        if (m.getBody() instanceof byte[] value) {
            StringBuilder excerpt = new StringBuilder();
            try {
                m.setBody(BusPayload.utf8(value, maxBusMessageBytes, excerpt));
            } catch (InvalidSendRequestException refused) {
                exchange.setProperty(MailbusHeaders.ORIGINAL_PAYLOAD_PROPERTY, excerpt.toString());
                throw refused;
            }
            exchange.setProperty(MailbusHeaders.ORIGINAL_PAYLOAD_PROPERTY, m.getBody());
        }
    }

    private void start(Exchange exchange, String ingress, String defaultId, boolean retry) {
        Message m = exchange.getMessage();
        DeliveryAttempt attempt = retry ? DeliveryAttempt.read(m, ingress, clock.instant())
                : DeliveryAttempt.first(m, ingress, clock.instant());
        exchange.setProperty(MailbusHeaders.ATTEMPT_PROPERTY, attempt.withTenant(tenantOf(exchange, m)));
        if (!(m.getBody() instanceof jakarta.jms.Message) && !(m.getBody() instanceof byte[])) {
            exchange.setProperty(MailbusHeaders.ORIGINAL_PAYLOAD_PROPERTY, m.getBody(String.class));
        }
        if (defaultId != null) {
            exchange.setProperty(MailbusHeaders.DEFAULT_ID_PROPERTY, defaultId);
        }
    }

    /**
     * The tenant a bus message names, if tenants are on and it is one of theirs (also set as
     * {@link MailbusHeaders#TENANT_PROPERTY} for the tenant policy and the DKIM keys); a name the file does not have is
     * remembered as claimed, so the policy can say unknown_tenant rather than tenant_required. Who may put which
     * tenant on the bus is the operator's to restrict (see README, Tenants on the bus).
     */
    private String tenantOf(Exchange exchange, Message m) {
        if (tenants == null || !tenants.enabled()) {
            return null;
        }
        String claimed = DeliveryAttempt.claimedTenant(m);
        if (claimed == null) {
            return null;
        }
        if (tenants.tenant(claimed) == null) {
            exchange.setProperty(MailbusHeaders.TENANT_CLAIMED_PROPERTY, true);
            return null;
        }
        exchange.setProperty(MailbusHeaders.TENANT_PROPERTY, claimed);
        return claimed;
    }

    /**
     * After validation: remembers the request, stops one already delivered (a retry for owed recipients is never a
     * duplicate), and on a first attempt reports "queued", here for every ingress so that it always precedes the
     * request's later events on the same thread and transaction.
     */
    public void begin(Exchange exchange) {
        SendRequest request = exchange.getMessage().getBody(SendRequest.class);
        exchange.setProperty(MailbusHeaders.REQUEST_PROPERTY, request);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        if (attempt.retryRecipients() == null && deliveredIds.contains(request)) {
            LOG.info("request {} was already delivered: not sent again", request.getId());
            events.publish(StatusEvents.about("duplicate", request.getId(), request, attempt));
            exchange.setRouteStop(true);
            return;
        }
        events.attemptStarted(attempt);
        if (attempt.retryRecipients() != null) {
            exchange.setProperty(MailbusHeaders.ENVELOPE_RECIPIENTS_PROPERTY, attempt.retryRecipients());
        }
        if (attempt.number() == 1 && attempt.deferrals() == 0) { // not again after waiting for the server
            events.publish(StatusEvents.about("queued", request.getId(), request, attempt));
        }
    }
}
