package io.mailbus.it;

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
 * The outcome table run through the whole flow: a request in on email.send, the scripted server playing the reply
 * as Postfix words it, and the queue and status events out. Each case asserts where the request ended, with which
 * reply and after which attempts; the failures reach the flow as the component throws them, causes included.
 */
class OutcomeRowsIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ScriptedSmtpServer smtp;
    private static ScriptedSmtpServer greeting;
    private static ScriptedSmtpServer auth;
    private static ScriptedSmtpServer badAuth;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        greeting = newScriptedSmtp();
        String authEhlo = "250-stub.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME";
        auth = newScriptedSmtp().ehlo(authEhlo);
        badAuth = newScriptedSmtp().ehlo(authEhlo)
                .on("AUTH", "535 5.7.8 Error: authentication failed: authentication failure");
        p.put("mailbus.smtp.read-timeout-ms", "3000");
        p.put("mailbus.retry.connection", "200ms,200ms");
        p.put("mailbus.retry.transient", "200ms,300ms");
        p.put("mailbus.retry.throttled", "300ms");
        p.put("mailbus.kafka.enabled", "false");
        p.put("mailbus.smtp.servers", "greeting,auth,badauth");
        for (Map.Entry<String, ScriptedSmtpServer> named : Map.of("auth", auth, "badauth", badAuth).entrySet()) {
            p.put("mailbus.smtp.server." + named.getKey() + ".uri", "smtp-pool:127.0.0.1:" + named.getValue().port()
                    + "?encryption=none&allowPlaintextAuth=true&username=mailbus&password=RAW(s3cret)&lazyStart=true"
                    + "&connectTimeout=1000");
        }
        p.put("mailbus.smtp.server.greeting.uri", "smtp-pool:127.0.0.1:" + greeting.port()
                                                  + "?encryption=none&lazyStart=true&connectTimeout=1000");
    }



    private void send(String id, String from, List<String> to, String server) throws Exception {
        Map<String, Object> request = new java.util.LinkedHashMap<>(Map.of("id", id, "from", from, "to", to,
                "subject", "row " + id, "text", "body of " + id));
        if (server != null) {
            request.put("server", server);
        }
        bus().send("email.send", JSON.writeValueAsString(request), Map.of());
    }

    private long count(String commandPrefix) {
        return smtp.commands().stream().filter(c -> c.startsWith(commandPrefix)).count();
    }

    private static List<String> names(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event").asText()).toList();
    }

    @Test
    void shouldRetryA421GreetingOnTheConnectionScheduleAndDeliverWhenTheServerRecovers() throws Exception {
        String id = "g421-" + UUID.randomUUID();
        greeting.greeting("421 4.3.2 Service shutting down and closing transmission channel");
        send(id, "g421@sender.example", List.of("g421@example.com"), "greeting");

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("deferred"));
        JsonNode deferred = events.get(events.size() - 1);
        assertThat(deferred.path("smtpCode").asInt()).isEqualTo(421);
        assertThat(deferred.path("enhancedCode").asText()).isEqualTo("4.3.2");
        assertThat(deferred.path("retryClass").asText()).isEqualTo("connection");
        greeting.greeting("220 stub.test ESMTP ready");

        events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(names(events)).startsWith("queued", "deferred").endsWith("delivered").doesNotContain("failed");
        assertThat(bus().holds("email.dlq", id)).isFalse();
    }

    @Test
    void shouldKeepAMustIssueStartTlsRefusalAsConfigurationOnTheDeadLetterQueue() throws Exception {
        String id = "c530-" + UUID.randomUUID();
        smtp.on("MAIL FROM:<c530@", "530 5.7.0 Must issue a STARTTLS command first");
        send(id, "c530@sender.example", List.of("c530@example.com"), null);

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("failed"));
        assertThat(names(events)).containsExactly("queued", "failed");
        assertThat(events.get(1).path("reason").asText()).isEqualTo("configuration");
        TextMessage dead = bus().take("email.dlq", id);
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty("MailbusOutcome")).isEqualTo("configuration");
        assertThat(dead.getIntProperty("MailbusSmtpCode")).isEqualTo(530);
        assertThat(bus().holds("email.rejected", id)).isFalse();
    }

    @Test
    void shouldKeepAnAuthenticationRequiredRefusalAsConfiguration() throws Exception {
        String id = "a530-" + UUID.randomUUID();
        smtp.on("MAIL FROM:<a530@", "530 5.7.0 <a530@sender.example>: Sender address rejected: Authentication required");
        send(id, "a530@sender.example", List.of("a530@example.com"), null);

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("failed"));
        assertThat(events.get(events.size() - 1).path("reason").asText()).isEqualTo("configuration");
        assertThat(bus().take("email.dlq", id).getStringProperty("MailbusOutcome")).isEqualTo("configuration");
    }

    @Test
    void shouldRejectASenderRefusedAtMailFrom() throws Exception {
        String id = "s553-" + UUID.randomUUID();
        smtp.on("MAIL FROM:<s553@", "553 5.7.1 <s553@sender.example>: Sender address rejected: not owned by user");
        send(id, "s553@sender.example", List.of("s553@example.com"), null);

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("rejected"));
        assertThat(names(events)).containsExactly("queued", "rejected");
        TextMessage rejected = bus().take("email.rejected", id);
        assertThat(rejected.getIntProperty("MailbusSmtpCode")).isEqualTo(553);
        assertThat(rejected.getStringProperty("MailbusSmtpCommand")).isEqualTo("MAIL FROM");
    }

    @Test
    void shouldRejectContentRefusedAtTheEndOfData() throws Exception {
        String id = "d552-" + UUID.randomUUID();
        smtp.on("MAIL FROM:<d552@", "250 2.1.0 Ok");
        smtp.once(".", "552 5.3.4 Error: message file too big");
        send(id, "d552@sender.example", List.of("d552@example.com"), null);

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("rejected"));
        assertThat(names(events)).containsExactly("queued", "rejected");
        assertThat(events.get(1).path("smtpCode").asInt()).isEqualTo(552);
        TextMessage rejected = bus().take("email.rejected", id);
        assertThat(rejected.getStringProperty("MailbusEnhancedCode")).isEqualTo("5.3.4");
    }

    @Test
    void shouldRejectThe5xxRecipientsAndRetryThe4xxOnesAloneWhenEveryRecipientIsRefused() throws Exception {
        String id = "mix-" + UUID.randomUUID();
        smtp.on("RCPT TO:<gone-mix@", "550 5.1.1 <gone-mix@example.com>: Recipient address rejected: User unknown");
        smtp.once("RCPT TO:<full-mix@", "452 4.2.2 <full-mix@example.com>: Recipient address rejected: Mailbox full");
        send(id, "mix@sender.example", List.of("gone-mix@example.com", "full-mix@example.com"), null);

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(names(events)).containsExactly("queued", "rejected", "deferred", "delivered");
        TextMessage rejected = bus().take("email.rejected", id);
        assertThat(rejected).isNotNull();
        assertThat(rejected.getStringProperty("MailbusOwedRecipients")).isEqualTo("[\"gone-mix@example.com\"]");
        assertThat(count("RCPT TO:<full-mix@")).isEqualTo(2);
        assertThat(count("RCPT TO:<gone-mix@")).isEqualTo(1);
        assertThat(bus().holds("email.dlq", id)).isFalse();
    }

    @Test
    void shouldDeadLetterTheRecipientsStillOwedWhenAPartialDeliveryExhaustsItsRetries() throws Exception {
        String id = "owed-" + UUID.randomUUID();
        smtp.on("RCPT TO:<busy-owed@", "450 4.2.0 <busy-owed@example.com>: Recipient address rejected: try later");
        send(id, "owed@sender.example", List.of("ok-owed@example.com", "busy-owed@example.com"), null);

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("failed"));
        assertThat(names(events)).containsExactly("queued", "partial", "deferred", "deferred", "failed");
        assertThat(events.get(4).path("reason").asText()).isEqualTo("exhausted");
        TextMessage dead = bus().take("email.dlq", id);
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty("MailbusOutcome")).isEqualTo("exhausted");
        assertThat(dead.getStringProperty("MailbusOwedRecipients")).isEqualTo("[\"busy-owed@example.com\"]");
        assertThat(count("RCPT TO:<ok-owed@")).isEqualTo(1);
    }

    @Test
    void shouldCountRetriesPerReplyClass() throws Exception {
        String id = "cls-" + UUID.randomUUID();
        // two connection-class failures use up the connection schedule (2 waits); a greylisting then starts the
        // throttled schedule at its first wait instead of being given up
        smtp.once("MAIL FROM:<cls@", "421 4.4.2 stub.test Error: timeout exceeded");
        smtp.once("MAIL FROM:<cls@", "421 4.4.2 stub.test Error: timeout exceeded");
        smtp.once("RCPT TO:<cls@", "450 4.7.1 <cls@example.com>: Recipient address rejected: Greylisted, see"
                                   + " http://postgrey.schweikert.ch/help/example.com.html");
        send(id, "cls@sender.example", List.of("cls@example.com"), null);

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(names(events)).containsExactly("queued", "deferred", "deferred", "deferred", "delivered");
        assertThat(events.subList(1, 4)).extracting(e -> e.path("retryClass").asText())
                .containsExactly("connection", "connection", "throttled");
    }

    @Test
    void shouldNameTheRequestInTheInvalidEventOfABusRequest() throws Exception {
        String id = "inv-" + UUID.randomUUID();
        bus().send("email.send", JSON.writeValueAsString(Map.of("id", id, "to", List.of("not an address"),
                "subject", "s", "text", "t")), Map.of());

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("invalid"));
        assertThat(events.get(0).path("errors").toString()).contains("to[0]");
        TextMessage invalid = bus().take("email.invalid", id);
        assertThat(invalid.getStringProperty("MailbusErrorCodes")).isNotBlank();
    }

    @Test
    void shouldGiveABusRequestWithoutAnIdOneDerivedFromItsMessage() throws Exception {
        String subject = "noid " + UUID.randomUUID();
        bus().send("email.send", JSON.writeValueAsString(Map.of("from", "noid@sender.example",
                "to", List.of("noid@example.com"), "subject", subject, "text", "t")), Map.of());

        await(() -> smtp.messages().stream().anyMatch(m -> new String(m).contains(subject)));
        String message = smtp.messages().stream().map(String::new).filter(m -> m.contains(subject)).findFirst()
                .orElseThrow();
        assertThat(message).containsPattern("Message-ID: <jms-[0-9a-f-]+@mailbus.test>");
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(condition);
    }

    /**
     * The table's rows at MAIL FROM and RCPT TO through the whole flow: each keyed to its own sender or recipient, the
     * reply played on every attempt, and the request's last event, queue and outcome checked. Retries follow this
     * class's short schedules (two connection and transient retries, one throttled).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} -> {2}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', nullValues = "null", value = {
        "RCPT TO | 550 5.1.1 <%s@example.com>: Recipient address rejected: User unknown in local recipient table | rejected | email.rejected | rejected  | null",
        "RCPT TO | 550 5.2.1 <%s@example.com>: Recipient address rejected: Mailbox disabled                   | rejected | email.rejected | rejected  | null",
        "RCPT TO | 552 5.2.2 <%s@example.com>: Recipient address rejected: Mailbox full                       | rejected | email.rejected | rejected  | null",
        "RCPT TO | 554 5.7.1 <%s@example.com>: Relay access denied                                          | rejected | email.rejected | rejected  | null",
        "RCPT TO | 450 4.2.0 <%s@example.com>: Recipient address rejected: Temporarily unavailable          | failed   | email.dlq      | exhausted | transient",
        "RCPT TO | 452 4.2.2 <%s@example.com>: Recipient address rejected: Mailbox full                       | failed   | email.dlq      | exhausted | transient",
        "RCPT TO | 451 4.7.1 <%s@example.com>: Recipient address rejected: Greylisted                        | failed   | email.dlq      | exhausted | throttled",
        "MAIL FROM | 554 5.7.1 <%s@sender.example>: Sender address rejected: Access denied                  | rejected | email.rejected | rejected  | null",
        "MAIL FROM | 552 5.3.4 Message size exceeds fixed limit                                              | rejected | email.rejected | rejected  | null",
        "MAIL FROM | 451 4.3.0 Error: queue file write error                                                 | failed   | email.dlq      | exhausted | transient",
        "MAIL FROM | 530 5.7.0 Must issue a STARTTLS command first                                          | failed   | email.dlq      | configuration | null",
    })
    void shouldEndWhereTheTableSays(String command, String reply, String lastEvent, String queue, String outcome,
                                    String retryClass) throws Exception {
        String tag = "row" + UUID.randomUUID().toString().substring(0, 8);
        String id = "row-" + tag;
        String key = command.equals("RCPT TO") ? "RCPT TO:<" + tag + "@" : "MAIL FROM:<" + tag + "@";
        smtp.on(key, reply.formatted(tag));
        send(id, tag + "@sender.example", List.of(tag + "@example.com"), null);

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named(lastEvent));
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("smtpCode").asInt()).isEqualTo(Integer.parseInt(reply.substring(0, 3)));
        if (retryClass != null) {
            assertThat(events).filteredOn(BusClient.named("deferred")::test).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.path("retryClass").asText()).isEqualTo(retryClass));
        } else {
            assertThat(names(events)).doesNotContain("deferred");
        }
        TextMessage message = bus().take(queue, id);
        assertThat(message).as(queue).isNotNull();
        assertThat(message.getStringProperty("MailbusOutcome")).isEqualTo(outcome);
        assertThat(message.getIntProperty("MailbusSmtpCode")).isEqualTo(Integer.parseInt(reply.substring(0, 3)));
    }

    @Test
    void shouldRetryA454AtAuthOnTheConnectionScheduleThenKeepA535AsConfiguration() throws Exception {
        String retried = "a454-" + UUID.randomUUID();
        auth.once("AUTH", "454 4.7.0 Temporary authentication failure: Connection lost to authentication server");
        auth.on("AUTH", "235 2.7.0 Authentication successful");
        send(retried, "a454@sender.example", List.of("a454@example.com"), "auth");

        List<JsonNode> events = bus().awaitEvent(retried, BusClient.named("delivered"));
        assertThat(names(events)).containsExactly("queued", "deferred", "delivered");
        assertThat(events.get(1).path("retryClass").asText()).isEqualTo("connection");
        assertThat(events.get(1).path("smtpCode").asInt()).isEqualTo(454);

        String refused = "a535-" + UUID.randomUUID();
        send(refused, "a535@sender.example", List.of("a535@example.com"), "badauth");

        events = bus().awaitEvent(refused, BusClient.named("failed"));
        assertThat(names(events)).containsExactly("queued", "failed");
        assertThat(events.get(1).path("reason").asText()).isEqualTo("configuration");
        TextMessage dead = bus().take("email.dlq", refused);
        assertThat(dead.getStringProperty("MailbusOutcome")).isEqualTo("configuration");
        assertThat(dead.getIntProperty("MailbusSmtpCode")).isEqualTo(535);
        assertThat(dead.getStringProperty("MailbusSmtpCommand")).isEqualTo("AUTH");
    }
}
