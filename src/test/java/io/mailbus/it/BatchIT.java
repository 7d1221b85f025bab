package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.TextMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins batch submit end to end on real Artemis, Kafka and GreenMail: one answer with a result per element in order,
 * each valid element delivered on its own and an invalid one stopping nothing; the whole-batch refusals; idempotency
 * per element id and per Idempotency-Key; a JSON array on the JMS queue and the Kafka topic split the same way, its
 * invalid elements on email.invalid with their index. Also measures what a 500-element batch costs at the edge.
 */
class BatchIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void overrides(java.util.Properties p) {
        p.put("mailbus.kafka.poll-timeout-ms", "200");
    }

    /** Subscribed to the status events before anything is sent: a late topic subscriber misses them. */
    @org.junit.jupiter.api.BeforeEach
    void subscribeToEvents() throws Exception {
        bus();
    }

    @Test
    void shouldAnswerEachElementInOrderAndDeliverTheValidOnes() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = postBatch("""
                {"messages": [
                  {"to": ["b1@example.com"], "subject": "batch %1$s 0", "text": "first"},
                  {"to": ["not an address"], "subject": "batch %1$s 1", "text": "bad"},
                  {"id": "batch-%1$s-2", "to": ["b3@example.com"], "subject": "batch %1$s 2", "text": "third"}
                ]}""".formatted(run), null);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("accepted").asInt()).isEqualTo(2);
        assertThat(body.path("failed").asInt()).isEqualTo(1);
        JsonNode results = body.path("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("status").asText()).isEqualTo("queued");
        assertThat(results.get(1).path("status").isMissingNode()).isTrue();
        assertThat(results.get(1).at("/errors/0/field").asText()).isEqualTo("to[0]");
        assertThat(results.get(1).at("/errors/0/code").asText()).isEqualTo("invalid_address");
        assertThat(results.get(2).path("id").asText()).isEqualTo("batch-" + run + "-2");
        assertThat(results).extracting(r -> r.path("index").asInt()).containsExactly(0, 1, 2);

        Mailboxes.awaitSubject(greenMail(), "batch " + run + " 0", 1);
        Mailboxes.awaitSubject(greenMail(), "batch " + run + " 2", 1);
        List<JsonNode> events = bus().awaitEvent("batch-" + run + "-2", BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "delivered");
        assertThat(Mailboxes.withSubject(greenMail(), "batch " + run + " 1")).isEmpty();
    }

    @Test
    void shouldAcceptABareArrayAndAnswer422WhenNothingIsValid() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> ok = postBatch("""
                [{"to": ["arr@example.com"], "subject": "batch array %s", "text": "x"}]""".formatted(run), null);
        assertThat(ok.statusCode()).isEqualTo(202);
        Mailboxes.awaitSubject(greenMail(), "batch array " + run, 1);

        HttpResponse<String> none = postBatch("""
                [{"to": ["x@example.com"], "text": "no subject"}, {"to": ["x@example.com"], "subject": "s"}]""", null);
        assertThat(none.statusCode()).isEqualTo(422);
        JsonNode results = JSON.readTree(none.body()).path("results");
        assertThat(results.get(0).at("/errors/0/code").asText()).isEqualTo("required");
        assertThat(results.get(1).at("/errors/0/code").asText()).isEqualTo("body_required");
    }

    @Test
    void shouldRefuseMoreThan500Elements() throws Exception {
        String elements = IntStream.range(0, 501).mapToObj(i -> "{\"to\":[\"x@example.com\"],\"subject\":\"s\",\"text\":\"t\"}")
                .collect(Collectors.joining(","));
        HttpResponse<String> response = postBatch("{\"messages\": [" + elements + "]}", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/errors/0/code").asText()).isEqualTo("too_many_messages");
        assertThat(JSON.readTree(response.body()).at("/errors/0/field").asText()).isEqualTo("messages");
    }

    @Test
    void shouldDeliverAnElementIdOnceAcrossTwoBatches() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String batch = """
                [{"id": "again-%1$s", "to": ["again@example.com"], "subject": "batch again %1$s", "text": "x"}]"""
                .formatted(run);
        assertThat(postBatch(batch, null).statusCode()).isEqualTo(202);
        bus().awaitEvent("again-" + run, BusClient.named("delivered"));
        HttpResponse<String> second = postBatch(batch, null);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(second.body()).at("/results/0/id").asText()).isEqualTo("again-" + run);

        bus().awaitEvent("again-" + run, BusClient.named("duplicate"));
        assertThat(Mailboxes.withSubject(greenMail(), "batch again " + run)).hasSize(1);
    }

    @Test
    void shouldReplayTheAnswerForTheSameIdempotencyKey() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String batch = """
                [{"to": ["key@example.com"], "subject": "batch key %s", "text": "x"}]""".formatted(run);
        HttpResponse<String> first = postBatch(batch, "batch-key-" + run);
        HttpResponse<String> again = postBatch(batch, "batch-key-" + run);

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        Mailboxes.awaitSubject(greenMail(), "batch key " + run, 1);
        assertThat(postBatch(batch.replace("x\"", "y\""), "batch-key-" + run).statusCode()).isEqualTo(409);
    }

    @Test
    void shouldSplitAJmsArrayAndSendItsInvalidElementToEmailInvalidWithItsIndex() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String invalid = "{\"to\": [\"bad@@example.com\"], \"subject\": \"batch jms bad " + run + "\", \"text\": \"x\"}";
        bus().send("email.send", """
                [{"to": ["j1@example.com"], "subject": "batch jms %1$s 0", "text": "x"},
                 %2$s,
                 {"to": ["j3@example.com"], "subject": "batch jms %1$s 2", "text": "x"}]""".formatted(run, invalid),
                Map.of());

        Mailboxes.awaitSubject(greenMail(), "batch jms " + run + " 0", 1);
        Mailboxes.awaitSubject(greenMail(), "batch jms " + run + " 2", 1);
        TextMessage refused = bus().receive("email.invalid", "batch jms bad " + run);
        assertThat(refused).isNotNull();
        assertThat(refused.getText()).isEqualTo(invalid);
        assertThat(refused.getIntProperty("MailbusBatchIndex")).isEqualTo(1);
        assertThat(refused.getStringProperty("MailbusErrorCodes")).isEqualTo("invalid_address");
    }

    @Test
    void shouldSplitAKafkaArray() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
            producer.send(new ProducerRecord<>("email.send", """
                    [{"to": ["k1@example.com"], "subject": "batch kafka %1$s 0", "text": "x"},
                     {"to": ["k2@example.com"], "subject": "batch kafka %1$s 1", "text": "x"}]""".formatted(run))).get();
        }
        Mailboxes.awaitSubject(greenMail(), "batch kafka " + run + " 0", 1);
        Mailboxes.awaitSubject(greenMail(), "batch kafka " + run + " 1", 1);
    }

    @Test
    void shouldQueueAndDeliverA500ElementBatch() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String elements = IntStream.range(0, 500).mapToObj(i -> """
                {"to": ["many@example.com"], "subject": "batch many %s %d", "text": "x"}""".formatted(run, i))
                .collect(Collectors.joining(","));
        long started = System.nanoTime();
        HttpResponse<String> response = postBatch("[" + elements + "]", null);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("accepted").asInt()).isEqualTo(500);
        System.out.printf("batch of 500: answered in %d ms (%.2f ms per element)%n", millis, millis / 500.0);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> new HashSet<>(Mailboxes.subjectsStartingWith(greenMail(), "batch many " + run + " ")).size() == 500);
    }

    @Test
    void shouldDescribeTheBatchEndpointInTheOpenApiDocument() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/openapi.json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode doc = JSON.readTree(response.body());
        JsonNode batch = doc.at("/paths/~1api~1v1~1messages~1batch/post");

        assertThat(batch.at("/requestBody/content/application~1json/schema/$ref").asText()).endsWith("/BatchRequest");
        assertThat(batch.at("/responses/202/content/application~1json/schema/$ref").asText()).endsWith("/BatchResults");
        assertThat(batch.at("/responses/422/content/application~1json/schema/$ref").asText()).endsWith("/BatchResults");
        assertThat(batch.at("/responses/400/content/application~1json/schema/$ref").asText()).endsWith("/ErrorsBody");
        assertThat(doc.at("/components/schemas/BatchRequest/properties/messages/items/$ref").asText())
                .endsWith("/SendRequest");
        assertThat(doc.at("/components/schemas/BatchResults/properties/results/items/$ref").asText())
                .endsWith("/BatchItem");
    }

    private HttpResponse<String> postBatch(String json, String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/messages/batch"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + API_KEY).POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
