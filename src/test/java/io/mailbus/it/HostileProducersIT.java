package io.mailbus.it;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.ScriptedSmtpServer;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JMS producer is another team's code: pins that what it puts on email.send cannot run code in Mailbus's JVM, make
 * Mailbus reply to a destination of its choosing, or hold a consumer with a huge body. Object messages go to
 * email.invalid unread, JMSReplyTo is ignored, a message over mailbus.bus.max-message-bytes is refused from its size
 * with its first bytes kept, and a bytes message is read as UTF-8 JSON or refused.
 */
class HostileProducersIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ScriptedSmtpServer smtp;
    private static volatile boolean gadgetRan;
    private Connection connection;

    /** A class Mailbus has on its class path whose deserialisation has a side effect. */
    public static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            gadgetRan = true;
        }
    }

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        p.put("mailbus.kafka.enabled", "false");
        p.put("mailbus.bus.max-message-bytes", "65536");
    }

    @BeforeAll
    void connect() throws Exception {
        connection = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection();
        connection.start();
        // subscribed to the status events before any test sends: a topic keeps nothing for a late subscriber
        bus();
    }

    @AfterAll
    void disconnect() throws Exception {
        connection.close();
    }


    private static String request(String id, String to) throws Exception {
        return JSON.writeValueAsString(Map.of("id", id, "to", List.of(to), "subject", "hostile " + id, "text", "t"));
    }

    private TextMessage invalidBySelector(String selector) throws Exception {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageConsumer c = s.createConsumer(s.createQueue("email.invalid"), selector);
            return (TextMessage) c.receive(30_000);
        }
    }

    @Test
    void shouldSendAnObjectMessageToInvalidWithoutDeserialisingIt() throws Exception {
        String marker = "object-" + UUID.randomUUID();
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            ObjectMessage m = s.createObjectMessage(new Gadget());
            m.setStringProperty("TestMarker", marker);
            s.createProducer(s.createQueue("email.send")).send(m);
        }
        // the refused message keeps nothing of the producer's properties; it is found by its error code and time
        TextMessage invalid = invalidBySelector("MailbusErrorCodes = 'unsupported_message_type'");
        assertThat(invalid).isNotNull();
        assertThat(invalid.getStringProperty("MailbusErrors")).contains("ObjectMessage");
        assertThat(invalid.getText()).isEmpty();
        assertThat(gadgetRan).isFalse();
    }

    @Test
    void shouldIgnoreJmsReplyTo() throws Exception {
        String id = "replyto-" + UUID.randomUUID();
        Queue stolen;
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            stolen = s.createQueue("steal." + id);
            TextMessage m = s.createTextMessage(request(id, "replyto@example.com"));
            m.setJMSReplyTo(stolen);
            s.createProducer(s.createQueue("email.send")).send(m);
        }
        bus().awaitEvent(id, BusClient.named("delivered"));
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            assertThat(s.createConsumer(stolen).receive(1_000)).isNull();
        }
    }

    @Test
    void shouldRefuseAMessageOverTheLimitKeepingItsFirstBytes() throws Exception {
        String id = "huge-" + UUID.randomUUID();
        String huge = "{\"id\": \"" + id + "\", \"to\": [\"huge@example.com\"], \"subject\": \"s\", \"text\": \""
                      + "x".repeat(200_000) + "\"}";
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue("email.send")).send(s.createTextMessage(huge));
        }
        TextMessage invalid = invalidBySelector("MailbusErrorCodes = 'message_too_large'");
        assertThat(invalid).isNotNull();
        assertThat(invalid.getText().length()).isLessThanOrEqualTo(1024);
        assertThat(smtp.commands()).noneMatch(c -> c.contains("huge@example.com"));
    }

    @Test
    void shouldReadABytesMessageAsUtf8AndRefuseOneThatIsNot() throws Exception {
        String id = "bytes-" + UUID.randomUUID();
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue("email.send"));
            BytesMessage good = s.createBytesMessage();
            good.writeBytes(request(id, "bytes@example.com").getBytes(StandardCharsets.UTF_8));
            p.send(good);
            BytesMessage bad = s.createBytesMessage();
            bad.writeBytes(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
            p.send(bad);
        }
        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(events.get(events.size() - 1).path("ingress").asText()).isEqualTo("jms");
        assertThat(invalidBySelector("MailbusErrorCodes = 'invalid_encoding'")).isNotNull();
    }

    @Test
    void shouldNotLetAProducerForgeRetryStateToDeliverAnIdAgain() throws Exception {
        String id = "forged-" + UUID.randomUUID();
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue("email.send")).send(s.createTextMessage(request(id, "forged@example.com")));
        }
        bus().awaitEvent(id, BusClient.named("delivered"));
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            TextMessage again = s.createTextMessage(request(id, "forged@example.com"));
            // what a scheduled retry carries: on email.send it must count for nothing
            again.setStringProperty("MailbusRetryRecipients", "forged@example.com");
            again.setStringProperty("MailbusAttempt", "2");
            s.createProducer(s.createQueue("email.send")).send(again);
        }
        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("duplicate"));
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "delivered", "duplicate");
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("RCPT TO:<forged@")).count()).isEqualTo(1);
    }

    @Test
    void shouldNotLetAnotherProducerHaveAMailDroppedByClaimingItsIdFirst() throws Exception {
        String id = "claimed-" + UUID.randomUUID();
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue("email.send"));
            p.send(s.createTextMessage(request(id, "squatter@example.com")));
        }
        bus().awaitEvent(id, BusClient.named("delivered"));
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue("email.send")).send(s.createTextMessage(request(id, "owner@example.com")));
        }
        await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> smtp.commands().stream().anyMatch(c -> c.startsWith("RCPT TO:<owner@")));
        assertThat(bus().eventsOf(id)).extracting(e -> e.path("event").asText()).doesNotContain("duplicate");
    }
}
