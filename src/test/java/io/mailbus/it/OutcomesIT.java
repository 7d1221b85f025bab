package io.mailbus.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.ScriptedSmtpServer;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins where each SMTP reply class ends, after how many attempts and with which waits, against a scripted
 * SMTP server that plays exact replies: 4xx is retried on the broker's schedule and ends on email.dlq when the
 * schedule is used up; 5xx goes straight to email.rejected; 4.7.x waits on the longer schedule; a partial
 * delivery retries only the deferred recipient; an id already delivered is not sent again. Short waits are
 * configured here; the assertions read the attempts and times off the published status events.
 */
class OutcomesIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ScriptedSmtpServer smtp;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        p.put("mailbus.smtp.read-timeout-ms", "3000");
        p.put("mailbus.retry.connection", "200ms,200ms");
        p.put("mailbus.retry.transient", "200ms,300ms,400ms");
        p.put("mailbus.retry.throttled", "700ms");
        p.put("mailbus.kafka.enabled", "false");
        // a server nobody listens on, for the network-error class
        p.put("mailbus.smtp.servers", "dead");
        p.put("mailbus.smtp.server.dead.uri", "smtp-pool:127.0.0.1:" + io.mailbus.dev.FreePorts.next()
                                          + "?encryption=none&lazyStart=true&connectTimeout=1000");
    }



    private String send(String id, String from, List<String> to) throws Exception {
        String json = JSON.writeValueAsString(Map.of("id", id, "from", from, "to", to, "subject", "outcome " + id,
                "text", "body of " + id));
        bus().send("email.send", json, Map.of());
        return json;
    }

    @Test
    void shouldRetry451OnTheTransientScheduleThenDeadLetter() throws Exception {
        String id = "t451-" + UUID.randomUUID();
        smtp.on("MAIL FROM:<t451@", "451 4.3.0 Temporary local problem");
        bus();
        send(id, "t451@sender.example", List.of("someone@example.com"));

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("failed"));
        assertThat(events).extracting(e -> e.path("event").asText())
                .containsExactly("queued", "deferred", "deferred", "deferred", "failed");
        assertThat(events.get(4).path("attempt").asInt()).isEqualTo(4);
        assertThat(events.get(4).path("smtpCode").asInt()).isEqualTo(451);
        assertThat(events.get(4).path("enhancedCode").asText()).isEqualTo("4.3.0");
        // each retry waited at least its configured delay (200, 300, 400 ms)
        long[] waits = {200, 300, 400};
        for (int i = 0; i < 3; i++) {
            Instant deferredAt = Instant.parse(events.get(1 + i).path("timestamp").asText());
            Instant next = Instant.parse(events.get(2 + i).path("timestamp").asText());
            assertThat(Duration.between(deferredAt, next).toMillis()).as("wait after attempt %d", i + 1)
                    .isGreaterThanOrEqualTo(waits[i]);
            assertThat(events.get(1 + i).path("nextAttemptAt").asText()).isNotBlank();
        }
        TextMessage dead = bus().receive("email.dlq", id);
        assertThat(dead).isNotNull();
        assertThat(dead.getIntProperty("MailbusAttempts")).isEqualTo(4);
        assertThat(JSON.readTree(dead.getStringProperty("MailbusHistory"))).hasSize(4);
        assertThat(dead.getStringProperty("MailbusSmtpText")).contains("Temporary local problem");
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("MAIL FROM:<t451@")).count()).isEqualTo(4);
    }

    @Test
    void shouldRetryARefusedConnectionOnTheConnectionScheduleThenDeadLetter() throws Exception {
        String id = "refused-" + UUID.randomUUID();
        bus();
        bus().send("email.send", JSON.writeValueAsString(Map.of("id", id, "to", List.of("r@example.com"),
                "subject", "refused", "text", "x", "server", "dead")), Map.of());

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("failed"));
        assertThat(events).extracting(e -> e.path("event").asText())
                .containsExactly("queued", "deferred", "deferred", "failed");
        assertThat(events.get(3).path("attempt").asInt()).isEqualTo(3);
        assertThat(events.get(3).path("smtpCode").asInt()).isZero();
        assertThat(events.get(3).path("smtpText").asText()).containsIgnoringCase("connect");
        TextMessage dead = bus().receive("email.dlq", id);
        assertThat(dead).isNotNull();
        assertThat(dead.getIntProperty("MailbusAttempts")).isEqualTo(3);
    }

    @Test
    void shouldRejectOn550WithoutRetrying() throws Exception {
        String id = "t550-" + UUID.randomUUID();
        smtp.on("RCPT TO:<nobody550@", "550 5.1.1 <nobody550@example.com>: Recipient address rejected: User unknown");
        bus();
        send(id, "t550@sender.example", List.of("nobody550@example.com"));

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("rejected"));
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "rejected");
        JsonNode rejected = events.get(1);
        assertThat(rejected.path("smtpCode").asInt()).isEqualTo(550);
        assertThat(rejected.path("enhancedCode").asText()).isEqualTo("5.1.1");
        assertThat(rejected.path("recipients").get(0).path("status").asText()).isEqualTo("refused");
        TextMessage message = bus().receive("email.rejected", id);
        assertThat(message).isNotNull();
        assertThat(message.getIntProperty("MailbusSmtpCode")).isEqualTo(550);
        assertThat(message.getStringProperty("MailbusEnhancedCode")).isEqualTo("5.1.1");
        assertThat(message.getStringProperty("MailbusRecipients")).contains("nobody550@example.com", "refused");
        assertThat(JSON.readTree(message.getText()).path("id").asText()).isEqualTo(id);
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("RCPT TO:<nobody550@")).count()).isEqualTo(1);
    }

    @Test
    void shouldWaitTheThrottledScheduleOnGreylisting() throws Exception {
        String id = "grey-" + UUID.randomUUID();
        smtp.once("RCPT TO:<grey@", "450 4.7.1 <grey@example.com>: Recipient address rejected: Greylisted, try again");
        bus();
        send(id, "grey@sender.example", List.of("grey@example.com"));

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "deferred", "delivered");
        JsonNode deferred = events.get(1);
        assertThat(deferred.path("enhancedCode").asText()).isEqualTo("4.7.1");
        Duration planned = Duration.between(Instant.parse(deferred.path("timestamp").asText()),
                Instant.parse(deferred.path("nextAttemptAt").asText()));
        assertThat(planned.toMillis()).isBetween(600L, 800L);
        assertThat(events.get(2).path("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void shouldReconnectAfter421AndDeliver() throws Exception {
        String id = "t421-" + UUID.randomUUID();
        smtp.once("MAIL FROM:<t421@", "421 4.4.2 stub.test closing connection");
        bus();
        send(id, "t421@sender.example", List.of("ok421@example.com"));

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "deferred", "delivered");
        assertThat(events.get(1).path("smtpCode").asInt()).isEqualTo(421);
    }

    @Test
    void shouldRetryOnlyTheDeferredRecipientOfAPartialDelivery() throws Exception {
        String id = "partial-" + UUID.randomUUID();
        smtp.on("RCPT TO:<gone-p@", "550 5.1.1 no such user");
        smtp.once("RCPT TO:<full-p@", "452 4.2.2 mailbox full");
        bus();
        send(id, "partial@sender.example", List.of("ok-p@example.com", "gone-p@example.com", "full-p@example.com"));

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText())
                .containsExactly("queued", "partial", "deferred", "delivered");
        JsonNode partial = events.get(1);
        assertThat(partial.path("recipients").toString()).contains("\"ok-p@example.com\",\"status\":\"accepted\"");
        assertThat(partial.path("recipients").toString()).contains("\"gone-p@example.com\",\"status\":\"refused\"");
        assertThat(partial.path("recipients").toString()).contains("\"full-p@example.com\",\"status\":\"deferred\"");
        // the accepted recipient got exactly one copy; the retry named the deferred one alone
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("RCPT TO:<ok-p@")).count()).isEqualTo(1);
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("RCPT TO:<full-p@")).count()).isEqualTo(2);
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("RCPT TO:<gone-p@")).count()).isEqualTo(1);
        assertThat(events.get(3).path("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void shouldNotDeliverAnIdTwice() throws Exception {
        String id = "dup-" + UUID.randomUUID();
        bus();
        send(id, "dup@sender.example", List.of("dup@example.com"));
        bus().awaitEvent(id, BusClient.named("delivered"));
        send(id, "dup@sender.example", List.of("dup@example.com"));

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("duplicate"));
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "delivered", "duplicate");
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("RCPT TO:<dup@")).count()).isEqualTo(1);
    }
}
