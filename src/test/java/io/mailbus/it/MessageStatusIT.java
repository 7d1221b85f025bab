package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/messages/{id}} end to end: requests over HTTP, JMS and Kafka are delivered to GreenMail, their
 * status events recorded from email.events into PostgreSQL, and the endpoint answers the state and the history
 * (time, attempt, per-recipient replies); 404 for an unknown id and for another API key's request.
 */
class MessageStatusIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OTHER_KEY = "other-key-9876543210";

    @Override
    protected void overrides(Properties p) {
        p.put("mailbus.api.keys", API_KEY + "," + OTHER_KEY);
    }

    private HttpResponse<String> status(String id, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/messages/"
                                                                  + id)).timeout(Duration.ofSeconds(30)).GET();
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits, bounded, until the status of {@code id} is {@code state}, and returns the answer's JSON. */
    private JsonNode awaitState(String id, String state) {
        HttpResponse<String> answer = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(id, API_KEY), r -> r.statusCode() == 200 && r.body().contains("\"state\":\"" + state + "\""));
        try {
            return JSON.readTree(answer.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertDeliveredHistory(JsonNode status, String id, String ingress, String recipient) {
        assertThat(status.path("id").asText()).isEqualTo(id);
        assertThat(status.path("state").asText()).isEqualTo("delivered");
        JsonNode events = status.path("events");
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "delivered");
        JsonNode delivered = events.get(1);
        assertThat(delivered.path("attempt").asInt()).isEqualTo(1);
        assertThat(delivered.path("ingress").asText()).isEqualTo(ingress);
        assertThat(delivered.path("smtpCode").asInt()).isEqualTo(250);
        assertThat(delivered.path("recipients").get(0).path("address").asText()).isEqualTo(recipient);
        assertThat(delivered.path("recipients").get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(Instant.parse(status.path("updatedAt").asText())).isEqualTo(Instant.parse(delivered.path("timestamp").asText()));
        assertThat(Instant.parse(events.get(0).path("timestamp").asText())).isBeforeOrEqualTo(
                Instant.parse(delivered.path("timestamp").asText()));
    }

    @Test
    void anHttpRequestsStatusIsItsHistoryForItsCallerOnly() throws Exception {
        String subject = "status-http " + UUID.randomUUID();
        HttpResponse<String> queued = post("""
                {"to": ["sam@example.com"], "subject": "%s", "text": "x"}""".formatted(subject), API_KEY);
        assertThat(queued.statusCode()).isEqualTo(202);
        String id = JSON.readTree(queued.body()).path("id").asText();

        JsonNode status = awaitState(id, "delivered");

        assertDeliveredHistory(status, id, "http", "sam@example.com");
        assertThat(Mailboxes.withSubject(greenMail(), subject)).hasSize(1);
        HttpResponse<String> other = status(id, OTHER_KEY);
        assertThat(other.statusCode()).as("another API key's request").isEqualTo(404);
        assertThat(JSON.readTree(other.body()).at("/errors/0/code").asText()).isEqualTo("not_found");
        assertThat(status(id, null).statusCode()).isEqualTo(401);
    }

    @Test
    void anUnknownIdIs404InTheErrorShape() throws Exception {
        HttpResponse<String> answer = status("no-such-request-" + UUID.randomUUID(), API_KEY);

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode error = JSON.readTree(answer.body()).at("/errors/0");
        assertThat(error.path("field").asText()).isEqualTo("id");
        assertThat(error.path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void aJmsRequestsStatusIsRecordedAndADuplicateDoesNotReplaceIt() throws Exception {
        String id = "status-jms-" + UUID.randomUUID();
        String request = """
                {"id": "%s", "to": ["tia@example.com"], "subject": "%s", "text": "x"}""".formatted(id, id);
        bus().send("email.send", request, Map.of());

        assertDeliveredHistory(awaitState(id, "delivered"), id, "jms", "tia@example.com");

        bus().send("email.send", request, Map.of());
        JsonNode again = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(status(id, API_KEY).body()), s -> s.path("events").size() == 3);
        assertThat(again.path("events")).extracting(e -> e.path("event").asText())
                .containsExactly("queued", "delivered", "duplicate");
        assertThat(again.path("state").asText()).isEqualTo("delivered");
        assertThat(Mailboxes.withSubject(greenMail(), id)).hasSize(1);
    }

    @Test
    void aKafkaRequestsStatusIsRecorded() throws Exception {
        String id = "status-kafka-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
            producer.send(new ProducerRecord<>("email.send", """
                    {"id": "%s", "to": ["uma@example.com"], "subject": "%s", "text": "x"}""".formatted(id, id))).get();
        }

        assertDeliveredHistory(awaitState(id, "delivered"), id, "kafka", "uma@example.com");
    }

    @Test
    void theOpenApiDocumentDescribesTheStatusAnswer() throws Exception {
        HttpResponse<String> doc = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/openapi.json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode api = JSON.readTree(doc.body());

        JsonNode get = api.path("paths").path("/api/v1/messages/{id}").path("get");
        assertThat(get.isMissingNode()).as(doc.body()).isFalse();
        String ref = get.at("/responses/200/content/application~1json/schema/$ref").asText();
        assertThat(ref).endsWith("MessageStatusView");
        JsonNode schema = api.at("/components/schemas/" + ref.substring(ref.lastIndexOf('/') + 1));
        assertThat(schema.path("properties").fieldNames()).toIterable().contains("id", "state", "updatedAt", "events");
        assertThat(get.path("responses").has("404")).isTrue();
    }
}
