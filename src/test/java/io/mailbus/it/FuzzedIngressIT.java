package io.mailbus.it;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.fuzz.HostileJson;
import io.mailbus.fuzz.RenderedMail;
import io.mailbus.request.ErrorCode;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestValidator;
import io.mailbus.smtppool.ScriptedSmtpServer;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.internet.MimeMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile producers end to end: 150 fuzzed requests ({@link HostileJson}, a fixed seed) over HTTP and 150 on the JMS
 * queue, delivered to a scripted SMTP server. Pins that HTTP answers only 202, 400 or 413 (503 at most), every
 * refusal in the documented {@code {"errors":[{field, code, message}]}} shape with documented codes; that every
 * request is accounted for, delivered (its event) or on email.invalid (its payload, MailbusErrorCodes documented);
 * and that what the server received carries no header the request did not give or Mailbus does not write, To and Cc
 * as the request has them, and exactly the RCPT TO commands of the delivered requests' recipients. Kafka is left
 * out: its ingress shares the validator and the flow with JMS, and its broker would add seconds for no new path.
 */
class FuzzedIngressIT extends MailbusTestSupport {

    private static final int PER_INGRESS = 150;
    private static final long SEED = 20261201L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ScriptedSmtpServer smtp;
    /** The first request not yet accounted for, for the failure message. */
    private volatile String waitingFor;
    private BusClient bus;
    private Connection connection;
    /** The validator as the application configures it, to know what each delivered request should look like. */
    private final SendRequestValidator validator = new SendRequestValidator(100);

    /** One request sent: its body and the id it is delivered under unless it names its own. */
    private record Sent(String ingress, String body, String defaultId) {
    }

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        p.put("mailbus.kafka.enabled", "false");
        // the bus limit follows it: large fuzzed bodies meet both 413 and message_too_large
        p.put("mailbus.http.max-body-bytes", "262144");
    }

    @BeforeAll
    void connect() throws Exception {
        connection = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection();
        connection.start();
        bus = new BusClient();
        validator.setDefaultFrom("noreply@mailbus.test");
        // email.invalid is shared with the classes before: empty it, so what is on it afterwards is this run's
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            jakarta.jms.MessageConsumer c = s.createConsumer(s.createQueue("email.invalid"));
            while (c.receive(200) != null) {
                // drained
            }
        }
    }

    @AfterAll
    void closeAll() throws Exception {
        bus.close();
        connection.close();
        smtp.close();
    }

    @Test
    void everyFuzzedRequestIsRefusedInShapeOrDeliveredWithoutInjection() throws Exception {
        Random random = new Random(SEED);
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < PER_INGRESS; i++) {
            String body = HostileJson.request(random);
            HttpResponse<String> response = post(body, API_KEY);
            assertThat(response.statusCode()).as("HTTP status of %s", abbreviated(body)).isIn(202, 400, 413, 503);
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() == 202) {
                sent.add(new Sent("http", body, answer.path("id").asText()));
            } else {
                assertDocumentedRefusal(answer, response.statusCode());
            }
        }
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = s.createProducer(s.createQueue("email.send"));
            for (int i = 0; i < PER_INGRESS; i++) {
                String body = HostileJson.request(random);
                TextMessage m = s.createTextMessage(body);
                producer.send(m);
                sent.add(new Sent("jms", body, "jms-" + m.getJMSMessageID().replaceFirst("^ID:", "")));
            }
        }
        long jms = sent.stream().filter(x -> x.ingress().equals("jms")).count();

        Map<String, Sent> delivered;
        try {
            delivered = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
                    .until(() -> accountFor(sent), m -> m != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not accounted for: " + waitingFor, e);
        }

        // what the server received: one message per delivered request, nothing injected, no extra recipient
        assertThat(smtp.messages()).hasSize(delivered.size());
        List<String> expectedRcpts = new ArrayList<>();
        for (byte[] bytes : smtp.messages()) {
            String messageId = new MimeMessage(jakarta.mail.Session.getInstance(new Properties()),
                    new ByteArrayInputStream(bytes)).getMessageID();
            String id = messageId.substring(1, messageId.lastIndexOf('@'));
            Sent origin = delivered.get(id);
            assertThat(origin).as("a message for a request that was delivered: %s", messageId).isNotNull();
            expectedRcpts.addAll(RenderedMail.assertRendersOnly(bytes, normalised(origin, id)));
        }
        List<String> rcpts = smtp.commands().stream().filter(c -> c.toUpperCase(Locale.ROOT).startsWith("RCPT TO:"))
                .map(c -> c.substring(c.indexOf('<') + 1, c.indexOf('>')).toLowerCase(Locale.ROOT)).toList();
        assertThat(rcpts).containsExactlyInAnyOrderElementsOf(expectedRcpts);
        // the seed is fixed; these keep the fuzz honest (some requests of each kind reach each outcome)
        assertThat(delivered).hasSizeGreaterThan(10);
        assertThat(jms).isEqualTo(PER_INGRESS);
    }

    /**
     * Delivered requests by id once every request sent is accounted for: its payload on email.invalid (whole, or its
     * first KiB when over the bus limit) with documented codes, or a delivered (or duplicate) event under its id.
     * Null while some request is still on its way.
     */
    private Map<String, Sent> accountFor(List<Sent> sent) throws Exception {
        List<TextMessage> invalid = invalidFromThisClass();
        List<TextMessage> unmatched = new ArrayList<>(invalid);
        Map<String, Sent> delivered = new HashMap<>();
        for (Sent s : sent) {
            TextMessage refused = s.ingress().equals("jms") ? take(unmatched, s.body()) : null;
            if (refused != null) {
                assertThat(refused.getStringProperty("MailbusErrorCodes").split(",")).isSubsetOf(RenderedMail.CODES);
                assertThat(refused.getStringProperty("MailbusErrors")).doesNotContainPattern("[\\x00-\\x1f]");
                continue;
            }
            String id = ownId(s);
            List<JsonNode> events = bus.eventsOf(id);
            assertThat(events).as("events of %s", id)
                    .noneMatch(e -> Set.of("failed", "rejected").contains(e.path("event").asText()));
            if (events.stream().anyMatch(BusClient.named("delivered"))) {
                assertThat(delivered.put(id, s)).as("one request per id in this run: %s", id).isNull();
            } else if (events.stream().noneMatch(BusClient.named("duplicate"))) {
                waitingFor = s.ingress() + " " + id + " events " + events + " body " + abbreviated(s.body());
                return null;
            }
        }
        assertThat(unmatched).as("email.invalid holds only what was sent").isEmpty();
        return delivered;
    }

    /** The id a request is delivered under: its own when it gives a usable one, else the default. */
    private String ownId(Sent s) {
        try {
            JsonNode id = JSON.readTree(s.body()).path("id");
            return id.isTextual() && !id.asText().isBlank() ? id.asText().trim() : s.defaultId();
        } catch (Exception unparsable) {
            return s.defaultId();
        }
    }

    private SendRequest normalised(Sent origin, String id) {
        DefaultExchange e = new DefaultExchange(new DefaultCamelContext());
        e.setProperty(SendRequestValidator.DEFAULT_ID_PROPERTY, id);
        e.getMessage().setBody(origin.body());
        validator.process(e);
        return e.getMessage().getBody(SendRequest.class);
    }

    /**
     * The refusal of {@code body} among {@code candidates}, removed: its payload whole, or for one over the bus limit
     * what JMS ingress keeps of it (nothing when the broker's size refused it unread, else the first KiB, its last
     * character maybe cut mid-sequence).
     */
    private static TextMessage take(List<TextMessage> candidates, String body) throws Exception {
        for (TextMessage m : candidates) {
            if (!tooLarge(m) && body.equals(m.getText() == null ? "" : m.getText())) {
                candidates.remove(m);
                return m;
            }
        }
        for (TextMessage m : candidates) {
            String text = m.getText() == null ? "" : m.getText();
            if (tooLarge(m) && body.length() > 1024
                    && body.startsWith(text.substring(0, Math.max(0, text.length() - 1)))) {
                candidates.remove(m);
                return m;
            }
        }
        return null;
    }

    private static boolean tooLarge(TextMessage m) throws Exception {
        return "message_too_large".equals(m.getStringProperty("MailbusErrorCodes"));
    }

    /** The messages on email.invalid, left there: this class's alone, as {@link #connect} emptied the queue. */
    private List<TextMessage> invalidFromThisClass() throws Exception {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            QueueBrowser browser = s.createBrowser(s.createQueue("email.invalid"));
            List<TextMessage> out = new ArrayList<>();
            for (Object m : Collections.list(browser.getEnumeration())) {
                out.add((TextMessage) m);
            }
            return out;
        }
    }

    private static void assertDocumentedRefusal(JsonNode answer, int status) {
        JsonNode errors = answer.path("errors");
        assertThat(errors.isArray() && !errors.isEmpty()).as("errors of %s", answer).isTrue();
        for (JsonNode e : errors) {
            assertThat(e.path("field").isTextual() && e.path("message").isTextual()).as("shape of %s", e).isTrue();
            String code = e.path("code").asText();
            if (status == 503) {
                assertThat(code).isEqualTo("queue_unavailable");
            } else {
                assertThat(RenderedMail.CODES).as("documented code").contains(code);
                assertThat(ErrorCode.valueOf(code.toUpperCase(Locale.ROOT)).httpStatus() <= status).isTrue();
            }
            assertThat(e.path("field").asText() + e.path("message").asText()).doesNotContainPattern("[\\x00-\\x1f]");
        }
    }

    private static String abbreviated(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
