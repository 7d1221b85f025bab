package io.mailbus.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.ScriptedSmtpServer;
import jakarta.jms.TextMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins the Kafka ingress's JMS transaction (kafkaOutcomeTransaction): a record's status events and outcome sends
 * commit together or not at all. The rejected copy of a partial delivery cannot be written the first time, so the
 * record reaches no outcome and is read again; the "queued" and "partial" events the failed attempt had already
 * sent must have been rolled back with it: each is on email.events once, from the attempt that committed. Without
 * the transaction each send committed on its own and both events appeared twice.
 */
class KafkaOutcomeCommitIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger REJECTED_WRITES = new AtomicInteger();
    private static final String TOPIC = "commit-" + UUID.randomUUID();
    private static ScriptedSmtpServer smtp;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        try {
            TestBrokers.kafka().createTopics(TOPIC);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        p.put("mailbus.kafka.topic", TOPIC);
        p.put("mailbus.kafka.group-id", TOPIC);
        p.put("mailbus.kafka.consumers", "1");
        p.put("mailbus.endpoint.rejected", "direct:rejected-once-unreachable");
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:rejected-once-unreachable").routeId("rejected-once-unreachable")
                        .process(e -> {
                            if (REJECTED_WRITES.incrementAndGet() == 1) {
                                throw new IllegalStateException("AMQ219014: Timed out waiting for response");
                            }
                        })
                        .to("jms:queue:email.rejected");
            }
        });
    }

    @Test
    void shouldPublishTheEventsOfAnAttemptOnlyWithItsOutcome() throws Exception {
        String id = "kcommit-" + UUID.randomUUID();
        smtp.on("RCPT TO:<gone-kcommit@", "550 5.1.1 <gone-kcommit@example.com>: Recipient address rejected: User unknown");
        try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
            producer.send(new ProducerRecord<>(TOPIC, JSON.writeValueAsString(Map.of("id", id,
                    "from", "kcommit@sender.example", "to", List.of("ok-kcommit@example.com", "gone-kcommit@example.com"),
                    "subject", "kcommit", "text", "t")))).get();
        }

        TextMessage rejected = bus().take("email.rejected", id);
        assertThat(rejected).isNotNull();
        assertThat(rejected.getStringProperty("MailbusOwedRecipients")).isEqualTo("[\"gone-kcommit@example.com\"]");
        assertThat(REJECTED_WRITES.get()).isEqualTo(2);
        // the accepted recipient got the message twice: it was in flight when the outcome failed (the README's bound)
        assertThat(smtp.commands().stream().filter(c -> c.startsWith("RCPT TO:<ok-kcommit@")).count()).isEqualTo(2);
        // the committed attempt's events arrive with its outcome; a leaked pair from the failed one would be there too
        List<String> names = await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> bus().eventsOf(id).stream().map(e -> e.path("event").asText()).toList(),
                        l -> l.equals(List.of("queued", "partial")));
        assertThat(names).containsExactly("queued", "partial");
        assertThat(bus().eventsOf(id)).allSatisfy(e -> assertThat(e.path("ingress").asText()).isEqualTo("kafka"));
    }
}
