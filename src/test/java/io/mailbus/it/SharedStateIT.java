package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the application (two Camel contexts) on the same Artemis and the same PostgreSQL database, the
 * way an operator scales out. Each reads a send queue of its own here, so the test decides which instance handles a
 * request: what one instance learnt (an Idempotency-Key's answer, a delivered request id) the other must know.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedStateIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "in-jvm-test-key-0123";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private InJvmApplication a;
    private InJvmApplication b;
    private int portA;
    private int portB;
    private BusClient bus;

    @BeforeAll
    void start() throws Exception {
        String database = TestBrokers.newDatabase();
        bus = new BusClient();
        portA = io.mailbus.dev.FreePorts.next();
        portB = io.mailbus.dev.FreePorts.next();
        a = InJvmApplication.start("instance-a", settings(database, "shared.send.a", portA));
        b = InJvmApplication.start("instance-b", settings(database, "shared.send.b", portB));
    }

    private static Map<String, String> settings(String database, String queue, int httpPort) {
        return Map.of("mailbus.db.url", database, "mailbus.jms.send-queue", queue, "mailbus.kafka.enabled", "false",
                "mailbus.http.port", String.valueOf(httpPort), "mailbus.from.default", "noreply@mailbus.test");
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, bus}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private HttpResponse<String> post(int port, String idempotencyKey, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anIdempotencyKeyRepeatedToTheOtherInstanceGetsTheOriginalAnswerAndQueuesNothing() throws Exception {
        String subject = "shared-key " + UUID.randomUUID();
        String body = """
                {"to": ["kim@example.com"], "subject": "%s", "text": "once"}""".formatted(subject);
        String key = "order-" + UUID.randomUUID();

        HttpResponse<String> first = post(portA, key, body);
        HttpResponse<String> repeat = post(portB, key, body);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(repeat.statusCode()).isEqualTo(202);
        assertThat(repeat.body()).as("the original answer, byte for byte").isEqualTo(first.body());
        assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        String id = JSON.readTree(first.body()).path("id").asText();
        bus.awaitEvent(id, BusClient.named("delivered"));
        assertThat(Mailboxes.awaitSubject(TestBrokers.greenMail(), subject, 1)).hasSize(1);
        assertThat(bus.eventsOf(id).stream().filter(BusClient.named("queued"))).as("queued once").hasSize(1);

        HttpResponse<String> otherBody = post(portB, key, body.replace("once", "twice"));
        assertThat(otherBody.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(otherBody.body()).at("/errors/0/code").asText()).isEqualTo("idempotency_key_reused");
    }

    @Test
    void twoConcurrentRequestsWithOneKeyOnTwoInstancesQueueOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            String subject = "concurrent-key " + UUID.randomUUID();
            String body = """
                    {"to": ["lee@example.com"], "subject": "%s", "text": "once"}""".formatted(subject);
            String key = "race-" + UUID.randomUUID();

            CompletableFuture<HttpResponse<String>> onA = CompletableFuture.supplyAsync(() -> postUnchecked(portA, key, body));
            CompletableFuture<HttpResponse<String>> onB = CompletableFuture.supplyAsync(() -> postUnchecked(portB, key, body));
            List<HttpResponse<String>> answers = List.of(onA.get(), onB.get());

            assertThat(answers).extracting(HttpResponse::statusCode).allMatch(s -> s == 202 || s == 409)
                    .contains(202);
            for (HttpResponse<String> r : answers) {
                if (r.statusCode() == 409) {
                    assertThat(JSON.readTree(r.body()).at("/errors/0/code").asText())
                            .isEqualTo("idempotency_key_in_progress");
                }
            }
            // the edge generates each queued request's id: two queued requests would have answered two ids
            List<String> ids = answers.stream().filter(r -> r.statusCode() == 202)
                    .map(r -> idOf(r.body())).distinct().toList();
            assertThat(ids).as("round %d: requests queued", round).hasSize(1);
            bus.awaitEvent(ids.get(0), BusClient.named("delivered"));
            assertThat(Mailboxes.awaitSubject(TestBrokers.greenMail(), subject, 1)).as("round %d", round).hasSize(1);
        }
    }

    private static String idOf(String answer) {
        try {
            return JSON.readTree(answer).path("id").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> postUnchecked(int port, String key, String body) {
        try {
            return post(port, key, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRequestDeliveredByOneInstanceIsADuplicateOnTheOther() throws Exception {
        String id = "shared-id-" + UUID.randomUUID();
        String subject = "shared-id " + id;
        String request = """
                {"id": "%s", "to": ["max@example.com"], "subject": "%s", "text": "once"}""".formatted(id, subject);

        bus.send("shared.send.a", request, Map.of());
        bus.awaitEvent(id, BusClient.named("delivered"));
        assertThat(Mailboxes.awaitSubject(TestBrokers.greenMail(), subject, 1)).hasSize(1);

        bus.send("shared.send.b", request, Map.of());
        List<JsonNode> events = bus.awaitEvent(id, BusClient.named("duplicate"));

        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "delivered", "duplicate");
        assertThat(Mailboxes.withSubject(TestBrokers.greenMail(), subject)).as("one copy, by instance a").hasSize(1);
    }
}
