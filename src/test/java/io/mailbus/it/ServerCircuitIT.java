package io.mailbus.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.dev.FreePorts;
import io.mailbus.smtppool.ScriptedSmtpServer;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A circuit per server: after the threshold of refused connections the server's requests wait in the broker without
 * spending attempts (deferred, circuit_open), its health check says DOWN without being a readiness check, and once
 * the server listens again every request is delivered. A server with a fallback sends its requests there while its
 * circuit is open.
 */
class ServerCircuitIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private int flakyPort;
    private ScriptedSmtpServer flaky;
    private ScriptedSmtpServer backup;

    @Override
    protected void overrides(Properties p) {
        flakyPort = FreePorts.next(); // nothing listens there until the test starts a server
        int deadPort = FreePorts.next();
        backup = newScriptedSmtp();
        p.put("mailbus.kafka.enabled", "false");
        p.put("mailbus.retry.connection", "300ms*200");
        p.put("mailbus.smtp.servers", "flaky,primary,backup");
        p.put("mailbus.smtp.server.flaky.uri", "smtp-pool:127.0.0.1:" + flakyPort + "?encryption=none&lazyStart=true");
        p.put("mailbus.smtp.server.flaky.circuit.failure-threshold", "3");
        p.put("mailbus.smtp.server.flaky.circuit.open-for", "1s");
        p.put("mailbus.smtp.server.primary.uri", "smtp-pool:127.0.0.1:" + deadPort + "?encryption=none&lazyStart=true");
        p.put("mailbus.smtp.server.primary.circuit.failure-threshold", "2");
        p.put("mailbus.smtp.server.primary.circuit.open-for", "10m");
        p.put("mailbus.smtp.server.primary.fallback", "backup");
        p.put("mailbus.smtp.server.backup.uri", "smtp-pool:127.0.0.1:" + backup.port() + "?encryption=none&lazyStart=true");
    }

    @AfterAll
    void closeFlaky() throws Exception {
        if (flaky != null) {
            flaky.close();
        }
    }

    @Test
    void shouldRestARefusingServerWithoutSpendingAttemptsAndDeliverOnceItListens() throws Exception {
        List<String> ids = send("flaky", 8);

        // the circuit opens after three refused connections and the others wait without an attempt
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().flatMap(id -> eventsOf(id).stream())
                .anyMatch(e -> "circuit_open".equals(e.path("reason").asText())));
        HealthCheck.Result open = circuitHealth("flaky");
        assertThat(open.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(open.getDetails()).containsEntry("server", "flaky");
        assertThat(open.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("circuit"));
        assertThat(HealthCheckHelper.invokeReadiness(context())).extracting(r -> r.getCheck().getId())
                .doesNotContain("smtp-circuit:flaky");
        String all = management("health?exposureLevel=full");
        assertThat(all).contains("{\"name\":\"smtp-circuit:flaky\",\"status\":\"DOWN\"");
        assertThat(management("health/ready?exposureLevel=full")).doesNotContain("smtp-circuit");

        flaky = new ScriptedSmtpServer(flakyPort);

        for (String id : ids) {
            List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
            long connectionRetries = events.stream().filter(e -> "connection".equals(e.path("retryClass").asText()))
                    .count();
            JsonNode delivered = events.get(events.size() - 1);
            assertThat(delivered.path("attempt").asInt()).as("%s: attempts are the real ones only", id)
                    .isEqualTo(1 + connectionRetries);
            events.stream().filter(e -> "circuit_open".equals(e.path("reason").asText())).forEach(d -> {
                assertThat(d.path("event").asText()).isEqualTo("deferred");
                assertThat(d.has("retryClass")).isFalse();
            });
            assertThat(QueueCounts.count("email.dlq", id)).isZero();
        }
        assertThat(ids.stream().mapToLong(id -> eventsOf(id).stream()
                .filter(e -> "circuit_open".equals(e.path("reason").asText())).count()).sum()).isPositive();
        assertThat(flaky.messages()).hasSize(ids.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> circuitHealth("flaky").getState() == HealthCheck.State.UP);
    }

    @Test
    void shouldSendToTheFallbackWhileThePrimaryRefusesConnections() throws Exception {
        List<String> ids = send("primary", 5);

        for (String id : ids) {
            bus().awaitEvent(id, BusClient.named("delivered"));
            assertThat(QueueCounts.count("email.dlq", id)).isZero();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> backup.messages().size() >= ids.size());
        for (String id : ids) {
            assertThat(backup.messages()).anyMatch(m -> new String(m, java.nio.charset.StandardCharsets.UTF_8)
                    .contains("circuit " + id));
        }
        HealthCheck.Result primary = circuitHealth("primary");
        assertThat(primary.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(primary.getDetails()).containsEntry("fallback", "backup");
    }

    /** A page of the management server (/observe/...), whatever its status. */
    private String management(String path) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + managementPort()
                + "/observe/" + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private List<String> send(String server, int n) throws Exception {
        String run = UUID.randomUUID().toString();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = server + "-" + run + "-" + i;
            ids.add(id);
            bus().send("email.send", JSON.writeValueAsString(Map.of("id", id, "to", List.of("r@example.com"),
                    "subject", "circuit " + id, "text", "x", "server", server)), Map.of());
        }
        return ids;
    }

    private List<JsonNode> eventsOf(String id) {
        try {
            return bus().eventsOf(id);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HealthCheck.Result circuitHealth(String server) {
        return HealthCheckRegistry.get(context()).getCheck("smtp-circuit:" + server).orElseThrow().call();
    }
}
