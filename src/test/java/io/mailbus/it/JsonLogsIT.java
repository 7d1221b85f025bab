package io.mailbus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.dev.FreePorts;
import org.junit.jupiter.api.Test;

/**
 * The packaged application started as an operator would with MAILBUS_LOG_FORMAT=json: every line it logs is a JSON
 * object with a full ISO-8601 UTC timestamp; a delivery's lines carry the request id, Message-ID and attempt from the
 * MDC; and after a delivered request, a deferred one, an invalid one and a wrong API key, the log holds neither the
 * bodies' marker nor the API key nor the wrong key.
 */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void jsonLinesWithTheDeliveryContextAndNoBodyOrKey() throws Exception {
        String marker = "BODY-MARKER-" + UUID.randomUUID();
        String apiKey = "log-test-key-" + UUID.randomUUID();
        String wrongKey = "wrong-key-" + UUID.randomUUID();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        int httpPort = FreePorts.next();
        int managementPort = FreePorts.next();
        Map<String, String> env = new HashMap<>();
        env.put("MAILBUS_LOG_FORMAT", "json");
        env.put("MAILBUS_JMS_URL", TestBrokers.artemis().url());
        env.put("MAILBUS_KAFKA_ENABLED", "false");
        env.put("MAILBUS_KAFKA_BROKERS", TestBrokers.kafka().bootstrapServers());
        env.put("MAILBUS_SMTP_HOST", "127.0.0.1");
        env.put("MAILBUS_SMTP_PORT", String.valueOf(TestBrokers.greenMail().getSmtp().getPort()));
        env.put("MAILBUS_SMTP_ENCRYPTION", "none");
        env.put("MAILBUS_SMTP_SERVERS", "down");
        env.put("MAILBUS_SMTP_SERVER_DOWN_URI", "smtp-pool:127.0.0.1:" + closed + "?encryption=none&lazyStart=true");
        env.put("MAILBUS_RETRY_CONNECTION", "10m");
        env.put("MAILBUS_API_KEYS", apiKey);
        env.put("MAILBUS_HTTP_PORT", String.valueOf(httpPort));
        env.put("MAILBUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        Path log = Files.createTempFile("mailbus-json-logs", ".log");

        String deferredId;
        try (ChildApplication app = ChildApplication.start(env, log);
             BusClient bus = new BusClient()) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> get("http://127.0.0.1:" + managementPort
                            + "/observe/health/ready").statusCode() == 200);
            String url = "http://127.0.0.1:" + httpPort + "/api/v1/messages";
            String delivered = id(post(url, apiKey, """
                    {"to": ["logs@example.com"], "subject": "logs ok", "text": "%s", "html": "<p>%s</p>"}
                    """.formatted(marker, marker)));
            deferredId = id(post(url, apiKey, """
                    {"to": ["logs@example.com"], "subject": "logs deferred", "text": "%s", "server": "down"}
                    """.formatted(marker)));
            HttpResponse<String> invalid = post(url, apiKey, """
                    {"to": ["not an address %s"], "subject": "logs invalid", "text": "%s"}""".formatted(marker, marker));
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(post(url, wrongKey, "{\"to\": [\"x@example.com\"], \"text\": \"" + marker + "\"}")
                    .statusCode()).isEqualTo(401);
            bus.send("email.send", "{\"to\": [\"bad %s\"], \"text\": \"%s\"}".formatted(marker, marker), Map.of());
            bus.awaitEvent(delivered, BusClient.named("delivered"));
            bus.awaitEvent(deferredId, BusClient.named("deferred"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("deferred after attempt"));
        }

        String text = Files.readString(log);
        assertThat(text).doesNotContain(marker).doesNotContain(apiKey).doesNotContain(wrongKey);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            assertThat(line).as("every line is a JSON object").startsWith("{");
            JsonNode node = JSON.readTree(line);
            assertThat(node.path("@timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            lines.add(node);
        }
        JsonNode deferredLine = lines.stream().filter(n -> n.path("message").asText().contains("deferred after attempt"))
                .findFirst().orElseThrow();
        assertThat(deferredLine.path("mailbus.requestId").asText()).isEqualTo(deferredId);
        assertThat(deferredLine.path("mailbus.attempt").asText()).isEqualTo("1");
        assertThat(deferredLine.path("mailbus.messageId").asText()).contains(deferredId);
    }

    private HttpResponse<String> post(String url, String key, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String id(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("id").asText();
    }
}
