package io.mailbus.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * A plain JMS client on the test broker: puts requests on queues, takes messages off them by content, and
 * records every status event published to {@code email.events} while it is open.
 */
final class BusClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());

    BusClient() throws Exception {
        connection = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection();
        Session eventSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = eventSession.createConsumer(eventSession.createTopic("email.events"));
        consumer.setMessageListener(m -> {
            try {
                events.add(JSON.readTree(((TextMessage) m).getText()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        connection.start();
    }

    void send(String queue, String body, Map<String, String> properties) throws JMSException {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            TextMessage m = s.createTextMessage(body);
            for (var e : properties.entrySet()) {
                m.setStringProperty(e.getKey(), e.getValue());
            }
            p.send(m);
        }
    }

    /** The first message on {@code queue} whose text contains {@code marker}, within 30 s, or null. */
    TextMessage receive(String queue, String marker) throws JMSException {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                jakarta.jms.Message m = consumer.receive(200);
                if (m instanceof TextMessage t && t.getText().contains(marker)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** The message on {@code queue} about request {@code id} (its MailbusRequestId), within 30 s, or null. */
    TextMessage take(String queue, String id) throws JMSException {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue),
                    "MailbusRequestId = '" + id.replace("'", "''") + "'");
            return (TextMessage) consumer.receive(Duration.ofSeconds(30).toMillis());
        }
    }

    /** Whether a message about request {@code id} is on {@code queue} now, left there. */
    boolean holds(String queue, String id) throws JMSException {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            return s.createBrowser(s.createQueue(queue), "MailbusRequestId = '" + id.replace("'", "''") + "'")
                    .getEnumeration().hasMoreElements();
        }
    }

    /** The events of one request, in publication order. */
    List<JsonNode> eventsOf(String id) {
        synchronized (events) {
            return events.stream().filter(e -> id.equals(e.path("id").asText())).toList();
        }
    }

    /** Waits up to 30 s for an event of this request that matches, and returns all its events by then. */
    List<JsonNode> awaitEvent(String id, Predicate<JsonNode> match) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> eventsOf(id), l -> l.stream().anyMatch(match));
    }

    static Predicate<JsonNode> named(String event) {
        return e -> event.equals(e.path("event").asText());
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
