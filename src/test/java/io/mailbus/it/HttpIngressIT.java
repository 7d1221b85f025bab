package io.mailbus.it;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins the HTTP edge end to end on real Artemis and GreenMail: 202 only after queueing and the mail
 * arriving as sent; 400 with field-level errors; 401 without a valid key; 413 over the body limit; all in
 * the one JSON error shape.
 */
class HttpIngressIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void overrides(java.util.Properties p) {
        p.put("mailbus.http.max-body-bytes", "65536");
    }

    @Test
    void shouldQueueAndDeliverAPostedMessage() throws Exception {
        String subject = "http " + UUID.randomUUID();
        BusClient bus = new BusClient();
        HttpResponse<String> response = post("""
                {"to": ["Alice Example <alice@example.com>"], "cc": ["carol@example.com"],
                 "subject": "%s", "text": "Hello from the HTTP edge"}
                """.formatted(subject), API_KEY);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("queued");
        String id = body.get("id").asText();
        assertThat(id).isNotBlank();

        List<MimeMessage> received = Mailboxes.awaitSubject(greenMail(), subject, 2);
        MimeMessage mail = received.get(0);
        assertThat(mail.getRecipients(Message.RecipientType.TO)[0].toString()).contains("alice@example.com");
        assertThat(mail.getRecipients(Message.RecipientType.CC)[0].toString()).isEqualTo("carol@example.com");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("noreply@mailbus.test");
        assertThat(GreenMailUtil.getBody(mail)).contains("Hello from the HTTP edge");
        assertThat(mail.getMessageID()).isEqualTo("<" + id + "@mailbus.test>");
        try (bus) {
            List<JsonNode> events = bus.awaitEvent(id, BusClient.named("delivered"));
            assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "delivered");
            assertThat(events).allSatisfy(e -> assertThat(e.path("ingress").asText()).isEqualTo("http"));
            assertThat(events.get(1).path("messageId").asText()).isEqualTo("<" + id + "@mailbus.test>");
        }
    }

    @Test
    void shouldAnswer400WithFieldErrorsAndQueueNothing() throws Exception {
        String subject = "invalid " + UUID.randomUUID();
        HttpResponse<String> response = post("""
                {"to": ["not-an-address"], "subject": "%s", "text": "x"}
                """.formatted(subject), API_KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body()).get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo("to[0]");
        assertThat(error.get("code").asText()).isEqualTo("invalid_address");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(Mailboxes.withSubject(greenMail(), subject)).isEmpty();
    }

    @Test
    void shouldAnswer400ForAnUnknownField() throws Exception {
        HttpResponse<String> response = post("""
                {"to": ["a@example.com"], "subject": "s", "text": "x", "ccc": ["b@example.com"]}
                """, API_KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("ccc");
    }

    @Test
    void shouldReplayTheOriginalAnswerForARepeatedIdempotencyKeyAnd409ForAnotherBody() throws Exception {
        String key = "key-" + UUID.randomUUID();
        String subject = "idem " + UUID.randomUUID();
        String json = """
                {"to": ["idem@example.com"], "subject": "%s", "text": "once"}
                """.formatted(subject);

        HttpResponse<String> first = postWithKey(json, key);
        HttpResponse<String> again = postWithKey(json, key);
        HttpResponse<String> other = postWithKey(json.replace("once", "twice"), key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(JSON.readTree(again.body()).get("id").asText()).isEqualTo(JSON.readTree(first.body()).get("id").asText());
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(other.body()).at("/errors/0/code").asText()).isEqualTo("idempotency_key_reused");
        assertThat(Mailboxes.awaitSubject(greenMail(), subject, 1)).hasSize(1);
    }

    private HttpResponse<String> postWithKey(String json, String key) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/messages"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + API_KEY)
                .header("Idempotency-Key", key).POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswer401WithoutOrWithAWrongKey() throws Exception {
        String json = """
                {"to": ["a@example.com"], "subject": "s", "text": "x"}
                """;
        for (String key : new String[] {null, "wrong-key", API_KEY + "x"}) {
            HttpResponse<String> response = post(json, key);
            assertThat(response.statusCode()).as("key %s", key).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).get("errors").get(0).get("code").asText()).isEqualTo("unauthorized");
            assertThat(response.body()).doesNotContain(API_KEY);
        }
    }

    @Test
    void shouldAnswer413OverTheBodyLimit() throws Exception {
        String big = "x".repeat(70_000);
        HttpResponse<String> response = post("""
                {"to": ["a@example.com"], "subject": "s", "text": "%s"}
                """.formatted(big), API_KEY);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("errors").get(0).get("code").asText()).isEqualTo("request_too_large");
    }

    @Test
    void shouldReportSmtpReadinessAndPoolMetrics() throws Exception {
        post("""
                {"to": ["metrics@example.com"], "subject": "metrics %s", "text": "x"}
                """.formatted(UUID.randomUUID()), API_KEY);
        Mailboxes.awaitSubject(greenMail(), "metrics", 0);
        String base = "http://127.0.0.1:" + managementPort() + "/observe/";

        // readiness also covers the consumers, which a loaded machine may still be starting: wait for it, bounded
        HttpResponse<String> health = await().atMost(java.time.Duration.ofSeconds(60)).until(() -> http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "health?exposureLevel=full")).GET()
                        .build(), HttpResponse.BodyHandlers.ofString()),
                r -> r.body().contains("\"status\":\"UP\"") && r.body().startsWith("{\"status\":\"UP\""));
        assertThat(health.body()).contains("smtp-pool:127.0.0.1:" + greenMail().getSmtp().getPort());
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");

        HttpResponse<String> metrics = await().atMost(java.time.Duration.ofSeconds(20)).until(() -> http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()), r -> r.body().contains("smtp_pool_connections_borrowed"));
        assertThat(metrics.body()).contains("server=\"127.0.0.1:" + greenMail().getSmtp().getPort() + "\"");
    }

    @Test
    void shouldPublishAnOpenApiDocument() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/openapi.json")).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/paths").toString()).contains("/api/v1/messages");
    }
}
