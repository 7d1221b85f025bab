package io.mailbus.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import io.mailbus.dev.FreePorts;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins "no accepted request ever vanishes": requests queued on JMS and Kafka, the application's JVM killed
 * with SIGKILL in the middle of delivering them, a new JVM started on the same brokers. Every request reaches
 * the SMTP server at least once, none is left on a queue or sent to a dead-letter queue, and the copies
 * delivered twice are no more than could have been in flight at the kill. The API key given in the
 * environment never appears in the application's log.
 */
class CrashRecoveryIT {

    private static final int PER_INGRESS = 150;
    private static final int JMS_CONSUMERS = 4;
    private static final int KAFKA_BATCH = 20;

    @Test
    void shouldLoseNothingWhenTheApplicationIsKilledMidDelivery() throws Exception {
        GreenMail smtp = TestBrokers.greenMail();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "crash-" + run;
        TestBrokers.kafka().createTopics(topic);
        enqueue(run, topic);

        Map<String, String> env = new HashMap<>();
        env.put("MAILBUS_JMS_URL", TestBrokers.artemis().url());
        env.put("MAILBUS_JMS_CONCURRENT_CONSUMERS", String.valueOf(JMS_CONSUMERS));
        env.put("MAILBUS_JMS_MAX_CONCURRENT_CONSUMERS", String.valueOf(JMS_CONSUMERS));
        env.put("MAILBUS_KAFKA_BROKERS", TestBrokers.kafka().bootstrapServers());
        env.put("MAILBUS_KAFKA_TOPIC", topic);
        env.put("MAILBUS_KAFKA_GROUP_ID", "crash-" + run);
        env.put("MAILBUS_KAFKA_MAX_POLL_RECORDS", String.valueOf(KAFKA_BATCH));
        env.put("MAILBUS_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("MAILBUS_SMTP_HOST", "127.0.0.1");
        env.put("MAILBUS_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
        env.put("MAILBUS_SMTP_ENCRYPTION", "none");
        env.put("MAILBUS_API_KEYS", "crash-test-key-0451");
        Path log = Files.createTempFile("mailbus-crash-" + run, ".log");

        env.put("MAILBUS_HTTP_PORT", String.valueOf(FreePorts.next()));
        env.put("MAILBUS_MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
        ChildApplication first = ChildApplication.start(env, log);
        int before;
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> copies(smtp, run).size() >= 40);
        } finally {
            first.kill();
        }
        before = copies(smtp, run).size();

        env.put("MAILBUS_HTTP_PORT", String.valueOf(FreePorts.next()));
        env.put("MAILBUS_MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
        try (ChildApplication second = ChildApplication.start(env, log)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> distinct(smtp, run), n -> n == 2 * PER_INGRESS);
            // let any straggler redelivery land before counting duplicates
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        }

        int total = copies(smtp, run).size();
        int duplicates = total - 2 * PER_INGRESS;
        System.out.printf("crash test: %d delivered before the kill, %d copies in all, %d duplicates (bound %d)%n",
                before, total, duplicates, JMS_CONSUMERS + KAFKA_BATCH);
        assertThat(distinct(smtp, run)).isEqualTo(2 * PER_INGRESS);
        assertThat(duplicates).isBetween(0, JMS_CONSUMERS + KAFKA_BATCH);
        assertThat(count("email.send", run)).isZero();
        assertThat(count("email.dlq", run)).isZero();
        assertThat(count("email.rejected", run)).isZero();
        assertThat(count("email.invalid", run)).isZero();
        // the application logs its settings at start-up: secrets are masked there
        assertThat(Files.readString(log)).contains("mailbus.api.keys").doesNotContain("crash-test-key-0451");
    }

    private static void enqueue(String run, String topic) throws Exception {
        try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            var producer = s.createProducer(s.createQueue("email.send"));
            for (int i = 0; i < PER_INGRESS; i++) {
                producer.send(s.createTextMessage(request(run, "jms", i)));
            }
            s.commit();
        }
        try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
            for (int i = 0; i < PER_INGRESS; i++) {
                producer.send(new ProducerRecord<>(topic, request(run, "kafka", i)));
            }
            producer.flush();
        }
    }

    private static String request(String run, String ingress, int i) {
        return """
                {"id": "crash-%s-%s-%d", "to": ["crash-%s@example.com"], "subject": "crash %s %s %d", "text": "n %d"}
                """.formatted(run, ingress, i, run, run, ingress, i, i);
    }

    private static java.util.List<String> copies(GreenMail smtp, String run) {
        return Mailboxes.subjectsStartingWith(smtp, "crash " + run + " ");
    }

    private static int distinct(GreenMail smtp, String run) {
        return new java.util.HashSet<>(copies(smtp, run)).size();
    }

    private static int count(String queue, String marker) throws Exception {
        try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue(queue));
            int n = 0;
            for (Object m : Collections.list(browser.getEnumeration())) {
                if (m instanceof jakarta.jms.TextMessage t && t.getText().contains(marker)) {
                    n++;
                }
            }
            return n;
        }
    }
}
