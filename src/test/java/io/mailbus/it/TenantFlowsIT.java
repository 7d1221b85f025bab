package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.webhook.WebhookSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tenant through the flows that queue a request again on its behalf — a batch's elements, a scheduled send, a
 * cancel — and its own webhook from the tenants file: each element meets the tenant's sender rules on its own, what
 * is parked or split is delivered as the tenant's (not refused later as tenant_required), another tenant cannot cancel
 * it, and the tenant's endpoint receives its events signed with its secret and none of another tenant's.
 */
class TenantFlowsIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACME_KEY = "acme-flows-" + UUID.randomUUID();
    private static final String BETA_KEY = "beta-flows-" + UUID.randomUUID();
    private static final String ACME_SECRET = "whsec-acme-" + UUID.randomUUID();
    private static WebhookReceiver acmeHook;

    @Override
    protected void overrides(Properties p) {
        try {
            acmeHook = new WebhookReceiver();
            Path file = Files.createTempDirectory("tenant-flows").resolve("tenants.yaml");
            TenantFiles.write(file, "tenants:\n"
                    + "  acme:\n" + TenantFiles.keys(ACME_KEY)
                    + "    senderDomains: [acme.example]\n"
                    + "    webhooks:\n"
                    + "      - { url: \"" + acmeHook.url() + "\", secret: \"" + ACME_SECRET
                    + "\", events: [delivered] }\n"
                    + "  beta:\n" + TenantFiles.keys(BETA_KEY)
                    + "    senderDomains: [beta.example]\n");
            p.put("mailbus.tenants.file", file.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        p.put("mailbus.webhooks.enabled", "true");
        // a subscription of its own: the shipped name is durable on the broker every IT class shares, and WebhooksIT
        // left it collecting every event of the classes run since (thousands from OutageIT and SoakIT), which this
        // class's fan-out then worked through first — ~45 s before acme's event, once over the 60 s the test waits
        p.put("mailbus.webhooks.subscription", "mailbus-webhooks-tenantflows-" + UUID.randomUUID());
    }

    @AfterAll
    void closeHook() {
        acmeHook.close();
    }

    @Test
    void aBatchsElementsMeetTheirTenantsRulesOneByOneAndAreDeliveredAsItsOwn() throws Exception {
        String run = UUID.randomUUID().toString();
        HttpResponse<String> r = send("POST", "/api/v1/messages/batch", ACME_KEY, """
                {"messages": [
                  {"from": "news@acme.example", "to": ["b1@example.com"], "subject": "tenant batch %1$s 0", "text": "x"},
                  {"from": "news@beta.example", "to": ["b2@example.com"], "subject": "tenant batch %1$s 1", "text": "x"}
                ]}""".formatted(run));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode results = JSON.readTree(r.body()).path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("queued");
        assertThat(results.get(1).at("/errors/0/field").asText()).isEqualTo("from");
        assertThat(results.get(1).at("/errors/0/code").asText()).isEqualTo("sender_not_allowed");
        Mailboxes.awaitSubject(greenMail(), "tenant batch " + run + " 0", 1);
        List<JsonNode> events = bus().awaitEvent(results.get(0).path("id").asText(), BusClient.named("delivered"));
        assertThat(events).allSatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("acme"));
        assertThat(Mailboxes.subjectsStartingWith(greenMail(), "tenant batch " + run + " 1")).isEmpty();
    }

    @Test
    void aScheduledSendIsDeliveredAsItsTenantsAndOnlyItsTenantCancelsIt() throws Exception {
        String run = UUID.randomUUID().toString();
        String soon = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(2).toString();
        HttpResponse<String> due = send("POST", "/api/v1/messages", ACME_KEY, """
                {"from": "news@acme.example", "to": ["s@example.com"], "subject": "tenant scheduled %s",
                 "text": "x", "sendAt": "%s"}""".formatted(run, soon));
        assertThat(due.statusCode()).as(due.body()).isEqualTo(202);
        String dueId = JSON.readTree(due.body()).path("id").asText();

        String later = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10).toString();
        HttpResponse<String> waiting = send("POST", "/api/v1/messages", ACME_KEY, """
                {"from": "news@acme.example", "to": ["w@example.com"], "subject": "tenant waiting %s",
                 "text": "x", "sendAt": "%s"}""".formatted(run, later));
        String waitingId = JSON.readTree(waiting.body()).path("id").asText();

        Mailboxes.awaitSubject(greenMail(), "tenant scheduled " + run, 1);
        List<JsonNode> events = bus().awaitEvent(dueId, BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText()).contains("scheduled", "delivered");
        assertThat(events).allSatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("acme"));

        assertThat(send("DELETE", "/api/v1/messages/" + waitingId, BETA_KEY, null).statusCode())
                .as("another tenant's cancel").isEqualTo(404);
        HttpResponse<String> cancelled = send("DELETE", "/api/v1/messages/" + waitingId, ACME_KEY, null);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        JsonNode event = bus().awaitEvent(waitingId, BusClient.named("cancelled")).stream()
                .filter(e -> e.path("event").asText().equals("cancelled")).findFirst().orElseThrow();
        assertThat(event.path("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void aTenantsWebhookReceivesItsEventsSignedWithItsSecretAndNoneOfAnothersTenant() throws Exception {
        String run = UUID.randomUUID().toString();
        // beta's request first, to its end: its delivered event reaches the fan-out before acme's request exists
        HttpResponse<String> beta = send("POST", "/api/v1/messages", BETA_KEY, """
                {"from": "news@beta.example", "to": ["h@example.com"], "subject": "tenant hook beta %s", "text": "x"}"""
                .formatted(run));
        String betaId = JSON.readTree(beta.body()).path("id").asText();
        bus().awaitEvent(betaId, BusClient.named("delivered"));
        HttpResponse<String> acme = send("POST", "/api/v1/messages", ACME_KEY, """
                {"from": "news@acme.example", "to": ["h@example.com"], "subject": "tenant hook %s", "text": "x"}"""
                .formatted(run));
        String acmeId = JSON.readTree(acme.body()).path("id").asText();

        WebhookReceiver.Post post = await().atMost(Duration.ofSeconds(60)).until(() -> acmeHook.posts().stream()
                .filter(p -> p.body().contains(acmeId)).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(post.event()).isEqualTo("delivered");
        assertThat(WebhookSignature.verify(post.signature(), post.body(), ACME_SECRET, Instant.now(),
                Duration.ofMinutes(5))).isTrue();
        assertThat(JSON.readTree(post.body()).path("tenant").asText()).isEqualTo("acme");
        assertThat(acmeHook.posts()).noneMatch(p -> p.body().contains(betaId));
    }

    private HttpResponse<String> send(String method, String path, String key, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
