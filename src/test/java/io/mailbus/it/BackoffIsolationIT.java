package io.mailbus.it;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbus.smtppool.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins that a long backoff holds no consumer thread: with a single JMS consumer, requests greylisted for ten
 * minutes are handed back to the broker, and every request behind them is delivered meanwhile.
 */
class BackoffIsolationIT extends MailbusTestSupport {

    private static ScriptedSmtpServer smtp;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        p.put("mailbus.retry.throttled", "10m");
        p.put("mailbus.jms.concurrent-consumers", "1");
        p.put("mailbus.jms.max-concurrent-consumers", "1");
        p.put("mailbus.kafka.enabled", "false");
    }

    @AfterAll
    void closeServer() throws Exception {
        smtp.close();
    }

    @Test
    void shouldKeepDeliveringWhileOtherRequestsWaitOutAGreylist() throws Exception {
        smtp.on("MAIL FROM:<greylisted@", "450 4.7.1 Greylisted, please try again later");
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (BusClient bus = new BusClient()) {
            for (int i = 0; i < 3; i++) {
                bus.send("email.send", """
                        {"id": "grey-%s-%d", "from": "greylisted@sender.example", "to": ["a@example.com"], "subject": "g", "text": "g"}
                        """.formatted(run, i), Map.of());
            }
            for (int i = 0; i < 30; i++) {
                bus.send("email.send", """
                        {"id": "healthy-%s-%d", "to": ["b@example.com"], "subject": "h", "text": "h"}
                        """.formatted(run, i), Map.of());
            }

            for (int i = 0; i < 30; i++) {
                bus.awaitEvent("healthy-" + run + "-" + i, BusClient.named("delivered"));
            }
            for (int i = 0; i < 3; i++) {
                List<JsonNode> events = bus.awaitEvent("grey-" + run + "-" + i, BusClient.named("deferred"));
                assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "deferred");
                assertThat(events.get(1).path("enhancedCode").asText()).isEqualTo("4.7.1");
            }
        }
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("MAIL FROM:<greylisted@")).count()).isEqualTo(3);
    }
}
