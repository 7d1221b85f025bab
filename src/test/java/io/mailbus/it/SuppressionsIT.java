package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Suppressions end to end against a scripted SMTP server that refuses two mailboxes for good (550 5.1.1 and
 * 550 5.2.1): the hard bounces land on the suppression list; a later request (over JMS) is sent to the others only,
 * the suppressed recipient reported {@code suppressed}; a request to suppressed recipients alone ends
 * {@code suppressed} without an SMTP transaction; the list pages, and a deleted address is mailed again.
 */
class SuppressionsIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private ScriptedSmtpServer smtp;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        smtp.on("RCPT TO:<gone@", "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown");
        smtp.on("RCPT TO:<disabled@", "550 5.2.1 <disabled@example.com>: mailbox disabled");
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + API_KEY)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private long commands(String prefix) {
        return smtp.commands().stream().filter(c -> c.toUpperCase().startsWith(prefix)).count();
    }

    private static JsonNode recipient(JsonNode event, String address) {
        for (JsonNode r : event.path("recipients")) {
            if (address.equalsIgnoreCase(r.path("address").asText())) {
                return r;
            }
        }
        throw new AssertionError(address + " not in " + event);
    }

    private static JsonNode last(List<JsonNode> events, String name) {
        return events.stream().filter(BusClient.named(name)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void theOpenApiDocumentDescribesTheSuppressionsEndpoints() throws Exception {
        JsonNode api = JSON.readTree(call("GET", "/api/v1/openapi.json").body());

        JsonNode list = api.at("/paths/~1api~1v1~1suppressions/get");
        JsonNode one = api.path("paths").path("/api/v1/suppressions/{address}");
        assertThat(list.at("/responses/200/content/application~1json/schema/$ref").asText()).endsWith("SuppressionPage");
        assertThat(list.path("parameters")).extracting(p -> p.path("name").asText()).contains("limit", "after");
        assertThat(one.at("/get/responses/200/content/application~1json/schema/$ref").asText()).contains("Entry");
        assertThat(one.at("/delete/responses").has("204")).isTrue();
        assertThat(one.at("/delete/responses").has("404")).isTrue();
        String page = list.at("/responses/200/content/application~1json/schema/$ref").asText();
        assertThat(api.at("/components/schemas/" + page.substring(page.lastIndexOf('/') + 1) + "/properties")
                .fieldNames()).toIterable().contains("suppressions", "next");
    }

    @Test
    void hardBouncesAreSuppressedUntilDeleted() throws Exception {
        // 1. a request that bounces for two of its three recipients
        HttpResponse<String> first = post("""
                {"to": ["ok1@example.com", "gone@example.com"], "cc": ["disabled@example.com"],
                 "subject": "first %s", "text": "x"}""".formatted(UUID.randomUUID()), API_KEY);
        assertThat(first.statusCode()).isEqualTo(202);
        String firstId = JSON.readTree(first.body()).path("id").asText();
        bus().awaitEvent(firstId, BusClient.named("partial"));
        HttpResponse<String> gone = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> call("GET", "/api/v1/suppressions/gone@example.com"), r -> r.statusCode() == 200);
        JsonNode entry = JSON.readTree(gone.body());
        assertThat(entry.path("address").asText()).isEqualTo("gone@example.com");
        assertThat(entry.path("reason").asText()).isEqualTo("hard_bounce");
        assertThat(entry.path("smtpCode").asInt()).isEqualTo(550);
        assertThat(entry.path("enhancedCode").asText()).isEqualTo("5.1.1");
        assertThat(entry.path("requestId").asText()).isEqualTo(firstId);
        await().atMost(Duration.ofSeconds(30)).until(() -> call("GET", "/api/v1/suppressions/DISABLED@example.com")
                .statusCode() == 200);

        // 2. over JMS, to a good and a suppressed recipient (another case): only the good one is sent to
        long goneRcpts = commands("RCPT TO:<GONE@");
        String secondId = "suppress-jms-" + UUID.randomUUID();
        bus().send("email.send", """
                {"id": "%s", "to": ["ok2@example.com", "GONE@example.com"], "subject": "second", "text": "x"}"""
                .formatted(secondId), Map.of());
        JsonNode delivered = last(bus().awaitEvent(secondId, BusClient.named("delivered")), "delivered");
        assertThat(recipient(delivered, "ok2@example.com").path("status").asText()).isEqualTo("accepted");
        assertThat(recipient(delivered, "gone@example.com").path("status").asText()).isEqualTo("suppressed");
        assertThat(commands("RCPT TO:<GONE@")).as("no RCPT TO for the suppressed address").isEqualTo(goneRcpts);
        assertThat(smtp.commands()).anyMatch(c -> c.equalsIgnoreCase("RCPT TO:<ok2@example.com>"));
        jakarta.jms.TextMessage secondCopy = bus().take("email.rejected", secondId);
        assertThat(secondCopy).as("a copy for the suppressed recipient: nothing accepted vanishes").isNotNull();
        assertThat(secondCopy.getStringProperty("MailbusOutcome")).isEqualTo("suppressed");
        assertThat(secondCopy.getStringProperty("MailbusOwedRecipients")).isEqualTo("[\"GONE@example.com\"]");

        // 3. over HTTP, only suppressed recipients: an outcome that says so, and no SMTP transaction
        long mails = commands("MAIL FROM");
        HttpResponse<String> third = post("""
                {"to": ["gone@example.com"], "bcc": ["disabled@example.com"], "subject": "third", "text": "x"}""", API_KEY);
        String thirdId = JSON.readTree(third.body()).path("id").asText();
        JsonNode suppressed = last(bus().awaitEvent(thirdId, BusClient.named("suppressed")), "suppressed");
        assertThat(suppressed.path("recipients")).extracting(r -> r.path("status").asText())
                .containsExactly("suppressed", "suppressed");
        assertThat(commands("MAIL FROM")).isEqualTo(mails);
        assertThat(bus().eventsOf(thirdId)).extracting(e -> e.path("event").asText()).doesNotContain("delivered", "rejected");
        jakarta.jms.TextMessage thirdCopy = bus().take("email.rejected", thirdId);
        assertThat(thirdCopy).isNotNull();
        assertThat(thirdCopy.getStringProperty("MailbusOutcome")).isEqualTo("suppressed");
        assertThat(JSON.readTree(thirdCopy.getText()).path("subject").asText()).isEqualTo("third");

        // 4. the list, a page at a time
        JsonNode page1 = JSON.readTree(call("GET", "/api/v1/suppressions?limit=1").body());
        assertThat(page1.path("suppressions")).extracting(e -> e.path("address").asText())
                .containsExactly("disabled@example.com");
        JsonNode page2 = JSON.readTree(call("GET", "/api/v1/suppressions?limit=1&after="
                                                   + page1.path("next").asText()).body());
        assertThat(page2.path("suppressions")).extracting(e -> e.path("address").asText())
                .containsExactly("gone@example.com");
        JsonNode page3 = JSON.readTree(call("GET", "/api/v1/suppressions?limit=1&after="
                                                   + page2.path("next").asText()).body());
        assertThat(page3.path("suppressions")).isEmpty();
        assertThat(page3.has("next")).isFalse();
        HttpResponse<String> badLimit = call("GET", "/api/v1/suppressions?limit=0");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badLimit.body()).at("/errors/0/code").asText()).isEqualTo("invalid_limit");

        // 5. deleted: mailed again (and refused again)
        assertThat(call("DELETE", "/api/v1/suppressions/gone@example.com").statusCode()).isEqualTo(204);
        HttpResponse<String> after = call("GET", "/api/v1/suppressions/gone@example.com");
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(after.body()).at("/errors/0/code").asText()).isEqualTo("not_found");
        assertThat(call("DELETE", "/api/v1/suppressions/gone@example.com").statusCode()).isEqualTo(404);
        HttpResponse<String> fourth = post("""
                {"to": ["gone@example.com"], "subject": "fourth", "text": "x"}""", API_KEY);
        String fourthId = JSON.readTree(fourth.body()).path("id").asText();
        bus().awaitEvent(fourthId, BusClient.named("rejected"));
        assertThat(commands("RCPT TO:<GONE@")).isEqualTo(goneRcpts + 1);
    }
}
