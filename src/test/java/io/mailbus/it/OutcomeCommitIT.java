package io.mailbus.it;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.ScriptedSmtpServer;
import jakarta.jms.TextMessage;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins "an id is marked delivered only once its outcome has committed": the rejected copy of a partial delivery cannot
 * be written the first time (the outcome queue is unreachable), so the consume rolls back; the broker hands the
 * request back and it is delivered again, not dropped as a duplicate, and its rejected recipient ends on
 * email.rejected. The accepted recipient gets a second copy: it was in flight when the outcome failed, which is the
 * duplicate the README allows.
 */
class OutcomeCommitIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger REJECTED_WRITES = new AtomicInteger();
    private static ScriptedSmtpServer smtp;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        p.put("mailbus.kafka.enabled", "false");
        p.put("mailbus.endpoint.rejected", "direct:rejected-once-unreachable");
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addRoutesBuilder(new FailsOnce("rejected-once-unreachable", "jms:queue:email.rejected",
                REJECTED_WRITES));
    }


    @Test
    void shouldDeliverAgainNotDropAsDuplicateWhenTheOutcomeCouldNotBeWritten() throws Exception {
        String id = "commit-" + UUID.randomUUID();
        smtp.on("RCPT TO:<gone-commit@", "550 5.1.1 <gone-commit@example.com>: Recipient address rejected: User unknown");
        bus().send("email.send", JSON.writeValueAsString(Map.of("id", id, "from", "commit@sender.example",
                "to", List.of("ok-commit@example.com", "gone-commit@example.com"), "subject", "commit", "text", "t")),
                Map.of());

        TextMessage rejected = bus().take("email.rejected", id);
        assertThat(rejected).isNotNull();
        assertThat(rejected.getStringProperty("MailbusOwedRecipients")).isEqualTo("[\"gone-commit@example.com\"]");
        List<JsonNode> events = bus().eventsOf(id);
        assertThat(events).extracting(e -> e.path("event").asText()).doesNotContain("duplicate");
        assertThat(REJECTED_WRITES.get()).isEqualTo(2);
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("RCPT TO:<ok-commit@")).count()).isEqualTo(2);
        assertThat(bus().holds("email.dlq", id)).isFalse();
    }
}
