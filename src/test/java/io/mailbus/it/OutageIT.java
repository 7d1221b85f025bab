package io.mailbus.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailbus.dev.FreePorts;
import io.mailbus.smtppool.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins "a relay outage costs time, not mail": the SMTP server answers every connection with Postfix's
 * {@code 421 4.3.2 Service shutting down and closing transmission channel} for 20 s while 300 JMS and 300 Kafka
 * requests arrive (and, in a second variant, the application is killed with SIGKILL in the middle of the outage and
 * started again); once the server greets with 220, every request is delivered and none is dead-lettered,
 * rejected or left on a queue. The retry schedule is the shipped default (quick retries, then minutes and hours).
 */
class OutageIT {

    private static final int PER_INGRESS = 300;
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final int JMS_CONSUMERS = 4;
    private static final int KAFKA_BATCH = 20;

    @Test
    void shouldDeliverEverythingQueuedDuringA421Outage() throws Exception {
        outage(false);
    }

    /**
     * The same outage with the application killed (SIGKILL) in the middle of it and started again. It once lost 1 to 4
     * of 600 requests on a loaded machine: camel-jms's lazily created transaction manager committed the listener's ack
     * on one session before the outcome (the scheduled retry) on another, and a kill between the two dropped the retry.
     * Both JMS ingresses now run one local transaction on the listener's own session
     * ({@code lazyCreateTransactionManager: false}); this variant then held 600/600 with no duplicate in repeated runs
     * at load averages up to 15.
     */
    @Test
    void shouldDeliverEverythingQueuedDuringA421OutageAcrossAKill() throws Exception {
        outage(true);
    }

    private void outage(boolean kill) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "outage-" + run;
        TestBrokers.kafka().createTopics(topic);
        try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
            smtp.greeting("421 4.3.2 Service shutting down and closing transmission channel");
            long outageEnds = System.nanoTime() + OUTAGE.toNanos();
            enqueue(run, topic);

            Map<String, String> env = new HashMap<>();
            env.put("MAILBUS_JMS_URL", TestBrokers.artemis().url());
            env.put("MAILBUS_JMS_CONCURRENT_CONSUMERS", String.valueOf(JMS_CONSUMERS));
            env.put("MAILBUS_JMS_MAX_CONCURRENT_CONSUMERS", String.valueOf(JMS_CONSUMERS));
            env.put("MAILBUS_KAFKA_BROKERS", TestBrokers.kafka().bootstrapServers());
            env.put("MAILBUS_KAFKA_TOPIC", topic);
            env.put("MAILBUS_KAFKA_GROUP_ID", "outage-" + run);
            env.put("MAILBUS_KAFKA_MAX_POLL_RECORDS", String.valueOf(KAFKA_BATCH));
            env.put("MAILBUS_KAFKA_SESSION_TIMEOUT_MS", "6000");
            env.put("MAILBUS_SMTP_HOST", "127.0.0.1");
            env.put("MAILBUS_SMTP_PORT", String.valueOf(smtp.port()));
            env.put("MAILBUS_SMTP_ENCRYPTION", "none");
            env.put("MAILBUS_API_KEYS", "outage-test-key-0421");
            Path log = Files.createTempFile("mailbus-outage-" + run, ".log");

            env.put("MAILBUS_HTTP_PORT", String.valueOf(FreePorts.next()));
            env.put("MAILBUS_MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
            int refusedBeforeKill = 0;
            if (kill) {
                ChildApplication first = ChildApplication.start(env, log);
                try {
                    // mid-outage: the application has been turned away a few hundred times
                    await().atMost(Duration.ofSeconds(60)).until(() -> smtp.connections() >= 300);
                } finally {
                    first.kill();
                }
                refusedBeforeKill = smtp.connections();
                env.put("MAILBUS_HTTP_PORT", String.valueOf(FreePorts.next()));
                env.put("MAILBUS_MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
            }
            try (ChildApplication second = ChildApplication.start(env, log)) {
                await().atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> System.nanoTime() >= outageEnds);
                smtp.greeting("220 stub.test ESMTP ready");
                // a request whose quick retries all fell in the outage waits the schedule's next step, 2 minutes
                try {
                    await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                            .until(() -> distinct(smtp, run), n -> n == 2 * PER_INGRESS);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("not delivered: " + whereAreTheMissing(smtp, run) + "; log " + log, e);
                }
            }
            List<String> copies = subjects(smtp, run);
            System.out.printf("outage test: %d connections refused before the kill, %d connections in all, %d copies"
                              + " of %d requests%n", refusedBeforeKill, smtp.connections(), copies.size(),
                    2 * PER_INGRESS);
            assertThat(distinct(smtp, run)).isEqualTo(2 * PER_INGRESS);
            // nothing was delivered before the kill, so nothing was in flight to deliver twice
            assertThat(copies.size() - 2 * PER_INGRESS).isBetween(0, JMS_CONSUMERS + KAFKA_BATCH);
            for (String queue : List.of("email.dlq", "email.rejected", "email.invalid", "email.send")) {
                assertThat(QueueCounts.count(queue, "outage " + run)).as(queue).isZero();
            }
            // every request was delivered (above), so whatever still waits on email.retry is a second copy: a Kafka
            // record in hand at the kill whose outcome (a scheduled retry) committed and whose offset did not is read
            // again and scheduled again. Each copy is dropped as already delivered when it falls due (the log says
            // "already delivered: not sent again"), but one due after the last delivery is still waiting here: at
            // most the records of the poll in hand (JMS rollbacks leave no copy: the retry is in the same transaction).
            assertThat(QueueCounts.count("email.retry", "outage " + run)).as("email.retry")
                    .isBetween(0, kill ? KAFKA_BATCH : 0);
        }
    }

    private static void enqueue(String run, String topic) throws Exception {
        NumberedRequests.onJms(NumberedRequests.of("outage", run, "jms", PER_INGRESS));
        NumberedRequests.onKafka(topic, NumberedRequests.of("outage", run, "kafka", PER_INGRESS));
    }

    private static final Pattern SUBJECT = Pattern.compile("^Subject: (.*)$", Pattern.MULTILINE);

    private static List<String> subjects(ScriptedSmtpServer smtp, String run) {
        String prefix = "outage " + run + " ";
        return smtp.messages().stream().map(m -> new String(m, StandardCharsets.UTF_8)).map(SUBJECT::matcher)
                .filter(Matcher::find).map(m -> m.group(1).trim()).filter(s -> s.startsWith(prefix)).toList();
    }

    /** For a failure: each request not delivered, and the queues holding a message about it. */
    private static String whereAreTheMissing(ScriptedSmtpServer smtp, String run) throws Exception {
        java.util.Set<String> got = new HashSet<>(subjects(smtp, run));
        StringBuilder out = new StringBuilder();
        for (String ingress : List.of("jms", "kafka")) {
            for (int i = 0; i < PER_INGRESS; i++) {
                if (!got.contains("outage " + run + " " + ingress + " " + i)) {
                    String id = "outage-" + run + "-" + ingress + "-" + i;
                    out.append(id).append(" on");
                    for (String q : List.of("email.send", "email.retry", "email.dlq", "email.rejected", "email.invalid")) {
                        if (QueueCounts.count(q, "\"" + id + "\"") > 0) {
                            out.append(' ').append(q);
                        }
                    }
                    out.append(brokerSide(id)).append("; ");
                }
            }
        }
        return out.toString();
    }

    /** Where the broker itself holds a message about {@code id}: scheduled, or being delivered to some consumer. */
    private static String brokerSide(String id) throws Exception {
        StringBuilder out = new StringBuilder();
        var server = TestBrokers.artemis().broker().getActiveMQServer();
        for (String name : List.of("email.send", "email.retry", "email.dlq")) {
            var queue = server.locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(name));
            if (queue == null) {
                continue;
            }
            for (var ref : queue.getScheduledMessages()) {
                if (String.valueOf(ref.getMessage().getStringBody()).contains(id)) {
                    out.append(" scheduled-on-").append(name).append('@').append(ref.getScheduledDeliveryTime());
                }
            }
            queue.getDeliveringMessages().forEach((consumer, refs) -> refs.forEach(ref -> {
                if (String.valueOf(ref.getMessage().getStringBody()).contains(id)) {
                    out.append(" delivering-on-").append(name).append("-to-").append(consumer);
                }
            }));
        }
        return out.toString();
    }

    private static int distinct(ScriptedSmtpServer smtp, String run) {
        return new HashSet<>(subjects(smtp, run)).size();
    }
}
