package io.mailbus.it;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.ingress.BusPayload;
import io.mailbus.smtppool.ScriptedSmtpServer;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request over {@link BusPayload#IN_MEMORY_BYTES} takes the streamed path (spooled to disk, rendered from the
 * spool, put on the next queue as a streamed bytes message) and keeps every guarantee of a small one: a 4xx is
 * retried through email.retry and the retry delivers the same bytes; an invalid one lands on email.invalid as it
 * came, with its codes; a 5xx puts the normalised request on email.rejected. Over HTTP (the edge streams it): 202 and
 * the same bytes delivered, or 400 with the field and code.
 */
class LargeRequestOutcomesIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTACHMENT_BYTES = 3_000_000;
    private static ScriptedSmtpServer smtp;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        p.put("mailbus.retry.transient", "200ms,300ms");
        p.put("mailbus.kafka.enabled", "false");
    }

    private static byte[] attachment(long seed) {
        byte[] bytes = new byte[ATTACHMENT_BYTES];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String request(String id, String from, String to, byte[] attachment) {
        return """
                {"id": "%s", "from": "%s", "to": ["%s"], "subject": "large %s", "text": "see attached",
                 "attachments": [{"filename": "big.bin", "contentType": "application/octet-stream", "data": "%s"}]}
                """.formatted(id, from, to, id, Base64.getEncoder().encodeToString(attachment));
    }

    /** Put on email.send as a bytes message streamed by Artemis (a large message). */
    private static void sendLarge(String json) throws Exception {
        try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection()) {
            jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            BytesMessage m = s.createBytesMessage();
            m.setObjectProperty("JMS_AMQ_InputStream",
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
            s.createProducer(s.createQueue("email.send")).send(m);
        }
    }

    /** The body of the bytes message about request {@code id} on {@code queue}, within 30 s. */
    private static byte[] takeBytes(String queue, String id, String[] property, String name) throws Exception {
        try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection()) {
            c.start();
            jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue), "MailbusRequestId = '" + id + "'");
            Message m = consumer.receive(30_000);
            assertThat(m).as("a message about " + id + " on " + queue).isInstanceOf(BytesMessage.class);
            if (name != null) {
                property[0] = m.getStringProperty(name);
            }
            BytesMessage bytes = (BytesMessage) m;
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
    }

    /** The DATA the server received for request {@code id} (its subject is in the first lines). */
    private static byte[] deliveredMessage(String id) {
        return smtp.messages().stream().filter(b -> new String(b, 0, Math.min(b.length, 4000),
                StandardCharsets.US_ASCII).contains("large " + id)).findFirst().orElseThrow();
    }

    private static byte[] attachmentOf(byte[] mime) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mime));
        Multipart mixed = (Multipart) m.getContent();
        return mixed.getBodyPart(1).getInputStream().readAllBytes();
    }

    @Test
    void shouldRetryALargeRequestThroughTheRetryQueueAndDeliverTheSameBytes() throws Exception {
        String id = "large-451-" + UUID.randomUUID();
        byte[] attachment = attachment(1);
        smtp.once("MAIL FROM:<large451@", "451 4.3.0 Try again later");
        bus();
        sendLarge(request(id, "large451@sender.example", "someone@example.com", attachment));

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));

        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "deferred",
                "delivered");
        assertThat(events.get(2).path("attempt").asInt()).isEqualTo(2);
        assertThat(attachmentOf(deliveredMessage(id))).isEqualTo(attachment);
    }

    @Test
    void shouldPutAnInvalidLargeRequestOnTheInvalidQueueAsItCame() throws Exception {
        String id = "large-invalid-" + UUID.randomUUID();
        String json = request(id, "large@sender.example", "not-an-address", attachment(2));
        bus();
        sendLarge(json);

        String[] codes = new String[1];
        byte[] body = takeBytes("email.invalid", id, codes, "MailbusErrorCodes");

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(codes[0]).contains("invalid_address");
        assertThat(bus().awaitEvent(id, BusClient.named("invalid"))).isNotEmpty();
    }

    @Test
    void shouldPutARejectedLargeRequestOnTheRejectedQueueWithItsAttachment() throws Exception {
        String id = "large-550-" + UUID.randomUUID();
        byte[] attachment = attachment(3);
        smtp.on("MAIL FROM:<large550@", "550 5.7.1 Not from you");
        bus();
        sendLarge(request(id, "large550@sender.example", "someone@example.com", attachment));

        byte[] body = takeBytes("email.rejected", id, new String[1], null);

        JsonNode rejected = JSON.readTree(body);
        assertThat(rejected.path("id").asText()).isEqualTo(id);
        assertThat(Base64.getDecoder().decode(rejected.at("/attachments/0/data").asText())).isEqualTo(attachment);
    }

    @Test
    void shouldAnswerALargeHttpRequestThatIsInvalidWithItsFieldAndCode() throws Exception {
        String id = "large-http-invalid-" + UUID.randomUUID();
        // over 1 MiB, so the edge streams it; the data's first character is outside the base64 alphabet
        String json = request(id, "large@sender.example", "someone@example.com", attachment(4))
                .replace("\"data\": \"", "\"data\": \"*");

        var rsp = post(json, API_KEY);

        assertThat(rsp.statusCode()).as(rsp.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(rsp.body()).path("errors").path(0);
        assertThat(error.path("field").asText()).isEqualTo("attachments[0].data");
        assertThat(error.path("code").asText()).isEqualTo("invalid_base64");
        assertThat(bus().eventsOf(id)).as("nothing was accepted").isEmpty();
    }

    @Test
    void shouldAcceptALargeHttpRequestAndDeliverItsAttachment() throws Exception {
        String id = "large-http-" + UUID.randomUUID();
        byte[] attachment = attachment(5);

        var rsp = post(request(id, "large@sender.example", "someone@example.com", attachment), API_KEY);

        assertThat(rsp.statusCode()).as(rsp.body()).isEqualTo(202);
        assertThat(JSON.readTree(rsp.body()).path("id").asText()).isEqualTo(id);
        bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(attachmentOf(deliveredMessage(id))).isEqualTo(attachment);
    }

    @Test
    void shouldRefuseALargeBodyThatIsNotJsonAsASmallOne() throws Exception {
        String large = request("large-text-" + UUID.randomUUID(), "a@sender.example", "b@example.com", attachment(6));
        String small = request("small-text-" + UUID.randomUUID(), "a@sender.example", "b@example.com", new byte[3]);

        int largeStatus = postAs("text/plain", large).statusCode();

        assertThat(largeStatus).isEqualTo(postAs("text/plain", small).statusCode()).isBetween(400, 499);
    }

    private java.net.http.HttpResponse<String> postAs(String contentType, String body) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/messages"))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + API_KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
