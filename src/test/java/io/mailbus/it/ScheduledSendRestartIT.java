package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.dev.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins that a scheduled send survives a restart of the application (the broker kept): a request scheduled by one
 * instance, which is then stopped, is still delivered after its time by the next instance, once; and one scheduled
 * before the restart can be cancelled after it.
 */
class ScheduledSendRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "in-jvm-test-key-0123";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldDeliverAfterARestartWhatWasScheduledBeforeIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String subject = "scheduled restart " + run;
        String laterSubject = "scheduled restart cancelled " + run;
        Instant sendAt;
        String id;
        String laterId;
        try (BusClient bus = new BusClient()) {
            int port = FreePorts.next();
            try (InJvmApplication before = InJvmApplication.start("scheduled-before-restart", settings(port))) {
                sendAt = Instant.now().plusSeconds(8);
                id = schedule(port, subject, sendAt);
                laterId = schedule(port, laterSubject, sendAt.plusSeconds(600));
                bus.awaitEvent(id, BusClient.named("scheduled"));
                bus.awaitEvent(laterId, BusClient.named("scheduled"));
            }
            // its time passes while no instance runs: nothing can have sent it
            Instant due = sendAt;
            await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(due.plusSeconds(1)));
            assertThat(Mailboxes.withSubject(TestBrokers.greenMail(), subject)).isEmpty();

            port = FreePorts.next();
            try (InJvmApplication after = InJvmApplication.start("scheduled-after-restart", settings(port))) {
                Mailboxes.awaitSubject(TestBrokers.greenMail(), subject, 1);
                List<JsonNode> events = bus.awaitEvent(id, BusClient.named("delivered"));
                assertThat(events).extracting(e -> e.path("event").asText())
                        .containsExactly("scheduled", "queued", "delivered");

                HttpResponse<String> cancelled = delete(port, laterId);
                assertThat(cancelled.statusCode()).isEqualTo(200);
                bus.awaitEvent(laterId, BusClient.named("cancelled"));
            }
            assertThat(Mailboxes.withSubject(TestBrokers.greenMail(), subject)).hasSize(1);
            assertThat(Mailboxes.withSubject(TestBrokers.greenMail(), laterSubject)).isEmpty();
        }
    }

    private static Map<String, String> settings(int port) {
        return Map.of("mailbus.http.port", String.valueOf(port), "mailbus.kafka.enabled", "false");
    }

    private String schedule(int port, String subject, Instant sendAt) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"to": ["restart-later@example.com"], "subject": "%s", "text": "x", "sendAt": "%s"}
                        """.formatted(subject, sendAt))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("scheduled");
        return body.path("id").asText();
    }

    private HttpResponse<String> delete(int port, String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages/" + id))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + KEY).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
