package io.mailbus.it;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.ScriptedSmtpServer;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins the operator's replay command end to end: the real command (from the application jar when it is built,
 * as an operator runs it, configured only by {@code MAILBUS_JMS_URL}) moves dead-lettered requests back to
 * email.send, the running application delivers them exactly once as fresh first attempts, and the requests not
 * asked for stay where they are. A scripted SMTP server refuses first and accepts once "the mailbox is fixed".
 */
class ReplayIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ScriptedSmtpServer smtp;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        p.put("mailbus.retry.transient", "100ms");
        p.put("mailbus.kafka.enabled", "false");
    }



    @Test
    void shouldDeliverARejectedRequestOnceWhenReplayedByIdAndLeaveTheOthers() throws Exception {
        String fixed = "fixed-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        // x@example.com is refused once: then "the mailbox is fixed"; y@example.com stays refused
        smtp.once("RCPT TO:<x@example.com>",
                "550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in local recipient table");
        smtp.on("RCPT TO:<y@example.com>",
                "550 5.1.1 <y@example.com>: Recipient address rejected: User unknown in local recipient table");
        send(fixed, "x@example.com");
        send(other, "y@example.com");
        bus().awaitEvent(fixed, BusClient.named("rejected"));
        bus().awaitEvent(other, BusClient.named("rejected"));
        assertThat(ids("email.rejected")).contains(fixed, other);

        Run dryRun = replay("--from", "email.rejected", "--id", fixed, "--dry-run");
        assertThat(dryRun.exit()).isZero();
        assertThat(dryRun.out()).contains("would move " + fixed, "would move 1 request(s) from email.rejected to email.send");
        assertThat(ids("email.rejected")).contains(fixed, other);

        // the refusal (5.1.1) put x@example.com on the suppression list: the operator who had the mailbox fixed takes it
        // off before replaying, or the replay would be suppressed (404 until the recorder has added it)
        await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                                + httpPort() + "/api/v1/suppressions/x@example.com"))
                        .header("Authorization", "Bearer " + API_KEY).DELETE().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 204);
        Run run = replay("--from", "email.rejected", "--id", fixed);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("moved " + fixed, "moved 1 request(s) from email.rejected to email.send")
                .doesNotContain(other);
        List<JsonNode> events = bus().awaitEvent(fixed, BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText())
                .containsExactly("queued", "rejected", "queued", "delivered");
        assertThat(events.get(3).path("attempt").asInt()).isEqualTo(1);
        assertThat(rcptCount("x@example.com")).as("the refusal, then the replay").isEqualTo(2);
        assertThat(deliveredCopies(fixed)).isEqualTo(1);
        assertThat(ids("email.rejected")).doesNotContain(fixed).contains(other);
        assertThat(ids("email.send")).doesNotContain(fixed);
        assertThat(rcptCount("y@example.com")).isEqualTo(1);
    }

    @Test
    void shouldReplayByCodeFromTheDeadLetterQueueAsFreshFirstAttempts() throws Exception {
        String busy = "busy-" + UUID.randomUUID();
        String full = "full-" + UUID.randomUUID();
        String poisoned = "poisoned-" + UUID.randomUUID();
        // two attempts each (mailbus.retry.transient = one retry): busy is refused twice, then accepted
        smtp.once("RCPT TO:<" + busy + "@", "450 4.2.1 <" + busy + "@example.com>: mailbox busy, try later");
        smtp.once("RCPT TO:<" + busy + "@", "450 4.2.1 <" + busy + "@example.com>: mailbox busy, try later");
        smtp.on("RCPT TO:<" + full + "@", "452 4.2.2 <" + full + "@example.com>: mailbox full");
        send(busy, busy + "@example.com");
        send(full, full + "@example.com");
        // as Artemis leaves a retry it dead-lettered itself: the attempt state of its 3rd attempt still on it
        bus().send("email.dlq", JSON.writeValueAsString(Map.of("id", poisoned, "subject", "replay " + poisoned,
                "text", "body", "to", List.of(poisoned + "-a@example.com", poisoned + "-b@example.com"))), Map.of(
                "MailbusSmtpCode", "450", "MailbusEnhancedCode", "4.2.1", "MailbusAttempt", "3",
                "MailbusRetryRecipients", poisoned + "-b@example.com", "MailbusIngress", "kafka",
                "MailbusHistory", "[{\"attempt\":1,\"code\":450},{\"attempt\":2,\"code\":450}]"));
        bus().awaitEvent(busy, BusClient.named("failed"));
        bus().awaitEvent(full, BusClient.named("failed"));
        assertThat(ids("email.dlq")).contains(busy, full, poisoned);

        Run run = replay("--from", "email.dlq", "--code", "450", "--enhanced-code", "4.2.1");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("moved " + busy, "moved " + poisoned).doesNotContain(full);
        List<JsonNode> busyEvents = bus().awaitEvent(busy, BusClient.named("delivered"));
        assertThat(busyEvents).extracting(e -> e.path("event").asText())
                .containsExactly("queued", "deferred", "failed", "queued", "delivered");
        List<JsonNode> poisonedEvents = bus().awaitEvent(poisoned, BusClient.named("delivered"));
        // a fresh first attempt to every recipient: no MailbusAttempt, MailbusRetryRecipients or history came along
        assertThat(poisonedEvents).extracting(e -> e.path("event").asText()).containsExactly("queued", "delivered");
        assertThat(poisonedEvents.get(1).path("attempt").asInt()).isEqualTo(1);
        assertThat(poisonedEvents.get(1).path("ingress").asText()).isEqualTo("kafka");
        assertThat(rcptCount(poisoned + "-a@example.com")).isEqualTo(1);
        assertThat(rcptCount(poisoned + "-b@example.com")).isEqualTo(1);
        assertThat(rcptCount(busy + "@example.com")).isEqualTo(3);
        assertThat(deliveredCopies(busy)).isEqualTo(1);
        assertThat(deliveredCopies(poisoned)).isEqualTo(1);
        assertThat(ids("email.dlq")).doesNotContain(busy, poisoned).contains(full);
    }

    @Test
    void shouldLeaveTheRequestWhereItWasWhenTheMoveFails() throws Exception {
        String stuck = "stuck-" + UUID.randomUUID();
        // the outcome's MailbusRequestId property names the request where present; the body's id only otherwise
        String bodyId = stuck + "-in-body";
        bus().send("replay.source", JSON.writeValueAsString(Map.of("id", bodyId, "to", List.of("s@example.com"),
                "subject", "s", "text", "x")), Map.of("MailbusRequestId", stuck));
        // a target that is full and refuses more: the broker rolls the transaction back at commit
        TestBrokers.artemis().broker().getActiveMQServer().getAddressSettingsRepository().addMatch("replay.full",
                new AddressSettings().setMaxSizeBytes(10_000).setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL));
        bus().send("replay.full", JSON.writeValueAsString(Map.of("id", "filler", "text", "x".repeat(20_000))), Map.of());

        Run refused = replay("--from", "replay.source", "--to", "replay.full", "--id", stuck);

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("could not move " + stuck, "still on replay.source");
        assertThat(refused.out()).contains("moved 0 request(s)");
        assertThat(ids("replay.full")).containsExactly("filler");
        // rolled back: on its queue again once the broker's redelivery delay (1 s here) has passed
        await().atMost(Duration.ofSeconds(30)).until(() -> ids("replay.source"), ids -> ids.equals(List.of(bodyId)));

        // a mistyped target is refused before anything moves, not created
        Run mistyped = replay("--from", "replay.source", "--to", "email.sned", "--id", stuck);

        assertThat(mistyped.exit()).isEqualTo(1);
        assertThat(mistyped.err()).contains("email.sned does not exist");
        assertThat(ids("replay.source")).containsExactly(bodyId);
    }

    @Test
    void shouldReplayTheRestOfAPartialDeliveryToTheRecipientsStillOwedAlone() throws Exception {
        String id = "owed-" + UUID.randomUUID();
        String owed = "owed-" + UUID.randomUUID().toString().substring(0, 8);
        // the owed recipient is refused on both attempts (one retry configured), then accepted after the replay
        smtp.once("RCPT TO:<" + owed + "@", "450 4.2.1 <" + owed + "@example.com>: mailbox busy, try later");
        smtp.once("RCPT TO:<" + owed + "@", "450 4.2.1 <" + owed + "@example.com>: mailbox busy, try later");
        bus().send("email.send", JSON.writeValueAsString(Map.of("id", id, "to",
                List.of("got-" + owed + "@example.com", owed + "@example.com"), "subject", "replay " + id,
                "text", "body of " + id)), Map.of());
        bus().awaitEvent(id, BusClient.named("failed"));
        assertThat(ids("email.dlq")).contains(id);

        Run run = replay("--from", "email.dlq", "--id", id);

        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText()).doesNotContain("duplicate");
        assertThat(rcptCount(owed + "@example.com")).as("two refusals, then the replay").isEqualTo(3);
        assertThat(rcptCount("got-" + owed + "@example.com")).as("never sent again").isEqualTo(1);
        assertThat(ids("email.dlq")).doesNotContain(id);
    }

    private void send(String id, String to) throws Exception {
        bus().send("email.send", JSON.writeValueAsString(Map.of("id", id, "to", List.of(to), "subject", "replay " + id,
                "text", "body of " + id)), Map.of());
    }

    private static long rcptCount(String address) {
        return smtp.commands().stream().filter(c -> c.equalsIgnoreCase("RCPT TO:<" + address + ">")).count();
    }

    /** Messages the SMTP server took whose Message-ID is the request's. */
    private static long deliveredCopies(String id) {
        return smtp.messages().stream().map(m -> new String(m, StandardCharsets.ISO_8859_1))
                .filter(m -> m.contains("<" + id + "@mailbus.test>")).count();
    }

    /** The request ids on a queue now, by browsing (nothing is taken off). */
    private static List<String> ids(String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = s.createBrowser(s.createQueue(queue))) {
            c.start();
            for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
                ids.add(JSON.readTree(((TextMessage) e.nextElement()).getText()).path("id").asText());
            }
        }
        return ids;
    }

    private record Run(int exit, String out, String err) {
    }

    /**
     * The replay command in a JVM of its own, as an operator runs it: from target/mailbus-*-app.jar when the
     * build has made it (failsafe runs after package), else from this test's class path.
     */
    private static Run replay(String... args) throws Exception {
        String classPath;
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            classPath = jars.filter(p -> p.getFileName().toString().matches("mailbus-.*-app\\.jar")).findFirst()
                    .map(Path::toString).orElse(System.getProperty("java.class.path"));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, "io.mailbus.ops.Replay"));
        Collections.addAll(command, args);
        Path out = Files.createTempFile("replay", ".out");
        Path err = Files.createTempFile("replay", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("MAILBUS_JMS_URL", TestBrokers.artemis().url());
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the replay command did not end within 60 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
