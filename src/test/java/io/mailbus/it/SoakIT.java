package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.ScriptedSmtpServer;
import io.mailbus.smtppool.SmtpPoolComponent;
import io.mailbus.smtppool.SmtpPoolStatistics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bounded soak: steady load over HTTP, JMS and Kafka with faults injected by the scripted server (greylisting,
 * unknown users, connections dropped mid-DATA, invalid requests), then every request accounted for — delivered, on
 * email.rejected, email.dlq or email.invalid, nowhere twice and nowhere missing — and nothing left behind: no
 * borrowed connection, no more connections open at the server than the pool allows, no thread growth beyond the
 * consumers' own scaling. {@code -Dsoak.requests=N} makes it longer.
 */
class SoakIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = Integer.getInteger("soak.requests", 600);
    private static ScriptedSmtpServer smtp;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        p.put("mailbus.retry.connection", "100ms,200ms,400ms");
        p.put("mailbus.retry.transient", "100ms,200ms");
        p.put("mailbus.retry.throttled", "200ms");
        p.put("mailbus.kafka.max-poll-records", "10");
    }

    @Test
    void shouldAccountForEveryRequestUnderLoadWithFaultsAndLeaveNothingBehind() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        smtp.on("RCPT TO:<gone-", "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown in local"
                                  + " recipient table");
        List<String> accepted = new ArrayList<>();
        // two halves: the first warms everything up (consumers scale, pools fill, brokers grow their pools), the
        // second must then leave the thread count where the first left it
        send(run, 0, REQUESTS / 2, accepted);
        awaitAccounted(run, accepted);
        List<String> threadsAfterFirstHalf = applicationThreads();
        send(run, REQUESTS / 2, REQUESTS, accepted);
        awaitAccounted(run, accepted);
        int delivered = delivered(run).size();
        int rejected = QueueCounts.count("email.rejected", "soak-" + run + "-");
        int dead = QueueCounts.count("email.dlq", "soak-" + run + "-");
        int invalid = QueueCounts.count("email.invalid", "soak-" + run + "-");
        System.out.printf("soak: %d accepted, %d delivered, %d rejected, %d dead-lettered, %d invalid; threads %d -> %d;"
                          + " server connections open %d%n", accepted.size(), delivered, rejected, dead, invalid,
                threadsAfterFirstHalf.size(), applicationThreads().size(), smtp.openConnections());

        assertThat(delivered + rejected + dead + invalid).isEqualTo(accepted.size());
        assertThat(new java.util.HashSet<>(delivered(run))).hasSameSizeAs(delivered(run));
        assertThat(dead).as("nothing here is for the dead-letter queue").isZero();
        assertThat(rejected).isEqualTo(REQUESTS / 10);
        for (String queue : List.of("email.send", "email.retry")) {
            assertThat(QueueCounts.count(queue, "soak-" + run + "-")).as(queue).isZero();
        }
        for (SmtpPoolStatistics pool : context().getComponent("smtp-pool", SmtpPoolComponent.class)
                .getPoolStatistics().values()) {
            assertThat(pool.active()).as("connections still borrowed").isZero();
        }
        assertThat(smtp.openConnections()).isLessThanOrEqualTo(10);
        // a second half of the same load leaves no new application threads behind; the JMS listeners may still
        // scale between their 4 and 8 consumers
        assertThat(applicationThreads().size()).as("%s", applicationThreads())
                .isLessThanOrEqualTo(threadsAfterFirstHalf.size() + 4);
    }

    /**
     * The application's own threads: Camel's (routes, JMS listeners, Kafka consumers) and the SMTP pool's. The embedded
     * brokers and the scripted server share this JVM and grow their own pools; they are not the application.
     */
    private static List<String> applicationThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("Camel") || n.contains("smtp-pool")).sorted().toList();
    }

    private void send(String run, int from, int to, List<String> accepted) throws Exception {
        try (KafkaProducer<String, String> kafka = TestBrokers.kafkaProducer()) {
            for (int i = from; i < to; i++) {
                send(run, i, kafka, accepted);
            }
            kafka.flush();
        }
    }

    private void send(String run, int i, KafkaProducer<String, String> kafka, List<String> accepted) throws Exception {
        String id = "soak-" + run + "-" + i;
        String to = switch (i % 10) {
            case 3 -> "grey-" + run + "-" + i + "@example.com";
            case 7 -> "gone-" + run + "-" + i + "@example.com";
            default -> "ok-" + run + "-" + i + "@example.com";
        };
        if (i % 10 == 3) {
            smtp.once("RCPT TO:<" + to, "450 4.7.1 <" + to + ">: Recipient address rejected: Greylisted");
        }
        if (i % 50 == 25) {
            smtp.once("DATA", ScriptedSmtpServer.DROP_MID_DATA);
        }
        boolean invalid = i % 25 == 11;
        String json = JSON.writeValueAsString(Map.of("id", id, "to", List.of(invalid ? "not an address" : to),
                "subject", "soak " + run + " " + i, "text", "load " + i));
        switch (i % 3) {
            case 0 -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort()
                        + "/api/v1/messages")).header("Authorization", "Bearer " + API_KEY)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("HTTP answer for %s", id).isIn(202, 400);
                if (r.statusCode() == 202) {
                    accepted.add(id);
                }
            }
            case 1 -> {
                bus().send("email.send", json, Map.of());
                accepted.add(id);
            }
            default -> {
                kafka.send(new ProducerRecord<>("email.send", json));
                accepted.add(id);
            }
        }
    }

    private void awaitAccounted(String run, List<String> accepted) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> accountedFor(run), n -> n >= accepted.size());
    }

    private int accountedFor(String run) throws Exception {
        return delivered(run).size() + QueueCounts.count("email.rejected", "soak-" + run + "-")
               + QueueCounts.count("email.dlq", "soak-" + run + "-") + QueueCounts.count("email.invalid", "soak-" + run + "-");
    }

    private static List<String> delivered(String run) {
        String marker = "Subject: soak " + run + " ";
        return smtp.messages().stream().map(String::new).filter(m -> m.contains(marker))
                .map(m -> m.substring(m.indexOf(marker), m.indexOf('\r', m.indexOf(marker)))).toList();
    }
}
