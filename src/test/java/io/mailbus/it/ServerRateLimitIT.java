package io.mailbus.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server limited to N messages a second gets 3N requests at once: every one is delivered, the server's own log
 * never shows more than N transactions in any second, the requests over the rate waited in the broker (deferred,
 * rate_limited) as their first attempt, and none reached email.dlq.
 */
class ServerRateLimitIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 2;
    private ScriptedSmtpServer limited;

    @Override
    protected void overrides(Properties p) {
        limited = newScriptedSmtp();
        p.put("mailbus.kafka.enabled", "false");
        p.put("mailbus.smtp.servers", "limited");
        p.put("mailbus.smtp.server.limited.uri", "smtp-pool:127.0.0.1:" + limited.port()
                + "?encryption=none&lazyStart=true");
        p.put("mailbus.smtp.server.limited.rate-per-second", String.valueOf(N));
    }

    @Test
    void shouldKeepTheServersRateAndSpendNoAttemptOnTheWait() throws Exception {
        String run = UUID.randomUUID().toString();
        // one message first, so that the burst does not also measure the JVM loading the mail classes: our count
        // starts when a message is admitted, the server's when MAIL FROM arrives (the guard covers a connection's
        // set-up, not a cold start)
        String warmUp = "rate-" + run + "-warm";
        bus().send("email.send", JSON.writeValueAsString(Map.of("id", warmUp, "to", List.of("r@example.com"),
                "subject", "warm-up", "text", "x", "server", "limited")), Map.of());
        bus().awaitEvent(warmUp, BusClient.named("delivered"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3 * N; i++) {
            String id = "rate-" + run + "-" + i;
            ids.add(id);
            bus().send("email.send", JSON.writeValueAsString(Map.of("id", id, "to", List.of("r@example.com"),
                    "subject", "rate " + id, "text", "x", "server", "limited")), Map.of());
        }

        for (String id : ids) {
            List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
            JsonNode delivered = events.get(events.size() - 1);
            assertThat(delivered.path("attempt").asInt()).as("attempt of %s", id).isEqualTo(1);
            assertThat(events.stream().filter(BusClient.named("queued"))).as("queued of %s", id).hasSize(1);
            assertThat(events.stream().filter(BusClient.named("deferred"))).allSatisfy(d -> {
                assertThat(d.path("reason").asText()).isEqualTo("rate_limited");
                assertThat(d.path("attempt").asInt()).isEqualTo(1);
                assertThat(d.has("retryClass")).isFalse();
                assertThat(d.path("nextAttemptAt").asText()).isNotBlank();
            });
            assertThat(QueueCounts.count("email.dlq", id)).isZero();
        }
        BusClient bus = bus();
        long deferred = ids.stream().flatMap(id -> bus.eventsOf(id).stream())
                .filter(BusClient.named("deferred")).count();
        assertThat(deferred).as("requests over the rate waited in the broker").isGreaterThanOrEqualTo(2L * N);

        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> limited.messages().size() >= 3 * N + 1);
        List<Long> times = limited.mailFromTimes().stream().sorted().toList();
        assertThat(times).hasSize(3 * N + 1);
        for (long start : times) {
            long inSecond = times.stream().filter(t -> t >= start && t < start + 1000).count();
            assertThat(inSecond).as("transactions the server saw in the second from %d", start)
                    .isLessThanOrEqualTo(N);
        }
    }
}
