package io.mailbus.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mailbus_queue_messages{queue}}: how many messages each Artemis queue holds (scheduled and in-delivery ones
 * included), asked of the broker with management messages on {@code activemq.management}, the way the Artemis CLI
 * asks a remote broker. One connection asks for every queue at once and the answers are kept for {@code ttl}, so a
 * scrape costs at most one round of requests per ttl whatever the number of scrapers. NaN while the broker does not
 * answer, or for a queue it does not have (yet).
 */
public final class QueueDepths implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDepths.class);
    private static final String MANAGEMENT_ADDRESS = "activemq.management";

    private final ConnectionFactory factory;
    private final List<String> queues;
    private final Duration ttl;
    private final Clock clock;
    private Map<String, Double> depths = Map.of();
    private long readAt = Long.MIN_VALUE;
    private boolean warned;

    public QueueDepths(ConnectionFactory factory, List<String> queues, Duration ttl, Clock clock) {
        this.factory = factory;
        this.queues = List.copyOf(queues);
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String q : queues) {
            Gauge.builder("mailbus.queue.messages", this, d -> d.depth(q))
                    .description("Messages on the queue, scheduled and in delivery included (Artemis messageCount)")
                    .tag("queue", q).register(registry);
        }
    }

    synchronized double depth(String queue) {
        long now = clock.millis();
        if (readAt == Long.MIN_VALUE || now - readAt >= ttl.toMillis()) {
            depths = read();
            readAt = now;
        }
        return depths.getOrDefault(queue, Double.NaN);
    }

    private Map<String, Double> read() {
        Map<String, Double> out = new LinkedHashMap<>();
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = s.createTemporaryQueue();
            MessageProducer producer = s.createProducer(s.createQueue(MANAGEMENT_ADDRESS));
            MessageConsumer consumer = s.createConsumer(replies);
            c.start();
            for (String q : queues) {
                Message request = s.createMessage();
                JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + q, "messageCount");
                request.setJMSReplyTo(replies);
                producer.send(request);
                Message reply = consumer.receive(5_000);
                if (reply != null && JMSManagementHelper.hasOperationSucceeded(reply)) {
                    Object v = JMSManagementHelper.getResult(reply);
                    out.put(q, v instanceof Number n ? n.doubleValue() : Double.NaN);
                }
            }
            warned = false;
        } catch (Exception e) {
            if (!warned) {
                LOG.warn("queue depths unavailable (Artemis management on {}): {}", MANAGEMENT_ADDRESS, e.toString());
                warned = true;
            }
        }
        return out;
    }
}
