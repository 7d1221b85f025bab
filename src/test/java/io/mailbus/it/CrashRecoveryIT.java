package io.mailbus.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import io.mailbus.dev.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins "no accepted request ever vanishes": requests queued on JMS and Kafka, the application's JVM killed
 * with SIGKILL in the middle of delivering them, a new JVM started on the same brokers. Every request reaches
 * the SMTP server at least once, none is left on a queue or sent to a dead-letter queue, the Kafka group's
 * committed offset ends at the topic's end, and the copies delivered twice are no more than the records in
 * hand at the kill: one JMS message per listener (its transaction rolls back) plus, per Kafka consumer, the
 * records of its poll not yet committed (mailbus.kafka.max-poll-records, 1: a commit per record). The SMTP pool
 * holds a single connection, so the consumers queue for it while the kill lands. The API key given in the
 * environment never appears in the application's log.
 */
class CrashRecoveryIT {

    private static final int PER_INGRESS = 300;
    private static final int JMS_CONSUMERS = 4;
    private static final int KAFKA_CONSUMERS = 1;
    private static final int KAFKA_MAX_POLL_RECORDS = 1;
    /** What a kill can leave delivered but not yet acknowledged: each JMS listener's message, each poll's records. */
    private static final int JMS_BOUND = JMS_CONSUMERS;
    private static final int KAFKA_BOUND = KAFKA_CONSUMERS * KAFKA_MAX_POLL_RECORDS;

    @Test
    void shouldLoseNothingWhenTheApplicationIsKilledMidDelivery() throws Exception {
        GreenMail smtp = TestBrokers.greenMail();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "crash-" + run;
        TestBrokers.kafka().createTopics(topic);
        enqueueKafka(run, topic);

        Map<String, String> env = new HashMap<>();
        env.put("MAILBUS_JMS_URL", TestBrokers.artemis().url());
        env.put("MAILBUS_JMS_CONCURRENT_CONSUMERS", String.valueOf(JMS_CONSUMERS));
        env.put("MAILBUS_JMS_MAX_CONCURRENT_CONSUMERS", String.valueOf(JMS_CONSUMERS));
        env.put("MAILBUS_KAFKA_BROKERS", TestBrokers.kafka().bootstrapServers());
        env.put("MAILBUS_KAFKA_TOPIC", topic);
        String group = "crash-" + run;
        env.put("MAILBUS_KAFKA_GROUP_ID", group);
        env.put("MAILBUS_KAFKA_CONSUMERS", String.valueOf(KAFKA_CONSUMERS));
        env.put("MAILBUS_KAFKA_MAX_POLL_RECORDS", String.valueOf(KAFKA_MAX_POLL_RECORDS));
        env.put("MAILBUS_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("MAILBUS_SMTP_HOST", "127.0.0.1");
        env.put("MAILBUS_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
        env.put("MAILBUS_SMTP_ENCRYPTION", "none");
        // one connection for five consumers: most of them wait for the pool when the kill lands
        env.put("MAILBUS_SMTP_POOL_MAX_TOTAL", "1");
        env.put("MAILBUS_API_KEYS", "crash-test-key-0451");
        Path log = Files.createTempFile("mailbus-crash-" + run, ".log");

        env.put("MAILBUS_HTTP_PORT", String.valueOf(FreePorts.next()));
        env.put("MAILBUS_MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
        ChildApplication first = ChildApplication.start(env, log);
        int jmsBefore;
        int kafkaBefore;
        try {
            // the JMS requests join once the Kafka consumer is delivering, so the kill finds both ingresses mid-way
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !copies(smtp, run, "kafka").isEmpty());
            enqueueJms(run);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> copies(smtp, run, "jms").size() >= 30 && copies(smtp, run, "kafka").size() >= 30);
        } finally {
            first.kill();
        }
        jmsBefore = copies(smtp, run, "jms").size();
        kafkaBefore = copies(smtp, run, "kafka").size();

        env.put("MAILBUS_HTTP_PORT", String.valueOf(FreePorts.next()));
        env.put("MAILBUS_MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
        try (ChildApplication second = ChildApplication.start(env, log)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> distinct(smtp, run), n -> n == 2 * PER_INGRESS);
            // let any straggler redelivery land before counting duplicates
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        }

        int jmsDuplicates = copies(smtp, run, "jms").size() - PER_INGRESS;
        int kafkaDuplicates = copies(smtp, run, "kafka").size() - PER_INGRESS;
        System.out.printf("crash test: killed after %d JMS and %d Kafka deliveries; duplicates JMS %d (bound %d), "
                        + "Kafka %d (bound %d), %d in all (bound %d)%n", jmsBefore, kafkaBefore, jmsDuplicates, JMS_BOUND,
                kafkaDuplicates, KAFKA_BOUND, jmsDuplicates + kafkaDuplicates, JMS_BOUND + KAFKA_BOUND);
        assertThat(jmsBefore).as("killed mid-way through the JMS messages").isLessThan(PER_INGRESS);
        assertThat(kafkaBefore).as("killed mid-way through the Kafka records").isLessThan(PER_INGRESS);
        assertThat(distinct(smtp, run)).isEqualTo(2 * PER_INGRESS);
        assertThat(jmsDuplicates).isBetween(0, JMS_BOUND);
        assertThat(kafkaDuplicates).isBetween(0, KAFKA_BOUND);
        // every record's outcome was recorded: the group's committed offset is the topic's end
        try (GroupOffsets kafka = new GroupOffsets()) {
            assertThat(kafka.committed(group)).isEqualTo(kafka.ends(topic, 1));
        }
        for (String queue : List.of("email.send", "email.retry", "email.dlq", "email.rejected", "email.invalid")) {
            assertThat(QueueCounts.count(queue, run)).as(queue).isZero();
        }
        // the application logs its settings at start-up: secrets are masked there
        assertThat(Files.readString(log)).contains("mailbus.api.keys").doesNotContain("crash-test-key-0451");
    }

    private static void enqueueJms(String run) throws Exception {
        NumberedRequests.onJms(NumberedRequests.of("crash", run, "jms", PER_INGRESS));
    }

    private static void enqueueKafka(String run, String topic) throws Exception {
        NumberedRequests.onKafka(topic, NumberedRequests.of("crash", run, "kafka", PER_INGRESS));
    }

    /** Every copy received of one ingress's requests, duplicates included. */
    private static java.util.List<String> copies(GreenMail smtp, String run, String ingress) {
        return Mailboxes.subjectsStartingWith(smtp, "crash " + run + " " + ingress + " ");
    }

    private static int distinct(GreenMail smtp, String run) {
        return new java.util.HashSet<>(Mailboxes.subjectsStartingWith(smtp, "crash " + run + " ")).size();
    }
}
