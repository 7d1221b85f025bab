package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins scheduled send end to end on real Artemis, Kafka and GreenMail: a request with a future sendAt from HTTP, JMS
 * or Kafka is answered (or taken) at once, reported "scheduled", and reaches GreenMail only once its time has come;
 * DELETE cancels one while it waits (nothing is received, event "cancelled"), whatever ingress it came from; a
 * second DELETE is 404, one after delivery 409; sendAt beyond the horizon or unparseable is 400 naming the field.
 */
class ScheduledSendIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void overrides(java.util.Properties p) {
        p.put("mailbus.kafka.poll-timeout-ms", "200");
    }

    /** Subscribed to the status events before anything is sent: a late topic subscriber misses them. */
    @org.junit.jupiter.api.BeforeEach
    void subscribeToEvents() throws Exception {
        bus();
    }

    @Test
    void shouldHoldAnHttpRequestUntilSendAt() throws Exception {
        String subject = "scheduled http " + UUID.randomUUID();
        Instant sendAt = Instant.now().plusSeconds(4);
        HttpResponse<String> response = post("""
                {"to": ["later@example.com"], "subject": "%s", "text": "sent later", "sendAt": "%s"}
                """.formatted(subject, sendAt.atOffset(java.time.ZoneOffset.ofHours(2))), API_KEY);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("scheduled");
        assertThat(Instant.parse(body.path("sendAt").asText())).isEqualTo(sendAt);
        String id = body.path("id").asText();

        MimeMessage mail = Mailboxes.awaitSubject(greenMail(), subject, 1).get(0);
        assertThat(GreenMailUtil.getBody(mail)).contains("sent later");
        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("scheduled", "queued", "delivered");
        assertThat(events.get(0).path("nextAttemptAt").asText()).isEqualTo(sendAt.toString());
        assertThat(events).allSatisfy(e -> assertThat(e.path("ingress").asText()).isEqualTo("http"));
        // never early: the delivery was reported at or after sendAt
        assertThat(Instant.parse(events.get(2).path("timestamp").asText())).isAfterOrEqualTo(sendAt);
        assertThat(Mailboxes.withSubject(greenMail(), subject)).hasSize(1);
        // gone from the schedule: too late to cancel
        assertThat(delete(id).statusCode()).isEqualTo(409);
    }

    @Test
    void shouldCancelAScheduledRequestWhileItWaits() throws Exception {
        String subject = "scheduled cancel " + UUID.randomUUID();
        Instant sendAt = Instant.now().plusSeconds(3);
        HttpResponse<String> response = post("""
                {"to": ["never@example.com"], "subject": "%s", "text": "x", "sendAt": "%s"}
                """.formatted(subject, sendAt), API_KEY);
        String id = JSON.readTree(response.body()).path("id").asText();

        HttpResponse<String> cancelled = delete(id);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("status").asText()).isEqualTo("cancelled");
        bus().awaitEvent(id, BusClient.named("cancelled"));
        HttpResponse<String> again = delete(id);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(again.body()).at("/errors/0/code").asText()).isEqualTo("not_found");

        // past its time, with a request scheduled after it delivered: the cancelled one never came
        String marker = "scheduled after cancel " + UUID.randomUUID();
        post("""
                {"to": ["never@example.com"], "subject": "%s", "text": "x", "sendAt": "%s"}
                """.formatted(marker, sendAt.plusSeconds(1)), API_KEY);
        Mailboxes.awaitSubject(greenMail(), marker, 1);
        assertThat(Mailboxes.withSubject(greenMail(), subject)).isEmpty();
        assertThat(bus().eventsOf(id)).extracting(e -> e.path("event").asText()).containsExactly("scheduled", "cancelled");
    }

    @Test
    void shouldScheduleARequestFromTheJmsQueue() throws Exception {
        String subject = "scheduled jms " + UUID.randomUUID();
        String id = "sched-jms-" + UUID.randomUUID();
        Instant sendAt = Instant.now().plusSeconds(3);
        bus().send("email.send", """
                {"id": "%s", "to": ["jms-later@example.com"], "subject": "%s", "text": "x", "sendAt": "%s"}
                """.formatted(id, subject, sendAt), Map.of());

        Mailboxes.awaitSubject(greenMail(), subject, 1);
        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("scheduled", "queued", "delivered");
        assertThat(events).allSatisfy(e -> assertThat(e.path("ingress").asText()).isEqualTo("jms"));
        assertThat(Instant.parse(events.get(2).path("timestamp").asText())).isAfterOrEqualTo(sendAt);
    }

    @Test
    void shouldParkAKafkaRequestAndCancelItOverHttp() throws Exception {
        String subject = "scheduled kafka " + UUID.randomUUID();
        String id = "sched-kafka-" + UUID.randomUUID();
        Instant sendAt = Instant.now().plusSeconds(60);
        try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
            producer.send(new ProducerRecord<>("email.send", """
                    {"id": "%s", "to": ["kafka-later@example.com"], "subject": "%s", "text": "x", "sendAt": "%s"}
                    """.formatted(id, subject, sendAt))).get();
        }
        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("scheduled"));
        assertThat(events.get(0).path("ingress").asText()).isEqualTo("kafka");

        assertThat(delete(id).statusCode()).isEqualTo(200);
        bus().awaitEvent(id, BusClient.named("cancelled"));
        assertThat(Mailboxes.withSubject(greenMail(), subject)).isEmpty();
    }

    @Test
    void shouldRefuseASendAtBeyondTheHorizonOrWithoutAnOffset() throws Exception {
        HttpResponse<String> far = post("""
                {"to": ["x@example.com"], "subject": "s", "text": "x", "sendAt": "%s"}
                """.formatted(Instant.now().plus(Duration.ofDays(31))), API_KEY);
        assertThat(far.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(far.body()).at("/errors/0/field").asText()).isEqualTo("sendAt");
        assertThat(JSON.readTree(far.body()).at("/errors/0/code").asText()).isEqualTo("send_at_too_far");

        HttpResponse<String> local = post("""
                {"to": ["x@example.com"], "subject": "s", "text": "x", "sendAt": "2030-01-01T10:00:00"}
                """, API_KEY);
        assertThat(local.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(local.body()).at("/errors/0/code").asText()).isEqualTo("invalid_send_at");
    }

    @Test
    void shouldSendAPastSendAtNow() throws Exception {
        String subject = "scheduled past " + UUID.randomUUID();
        HttpResponse<String> response = post("""
                {"to": ["now@example.com"], "subject": "%s", "text": "x", "sendAt": "2020-01-01T00:00:00Z"}
                """.formatted(subject), API_KEY);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("queued");
        Mailboxes.awaitSubject(greenMail(), subject, 1);
    }

    @Test
    void shouldRequireAnApiKeyToCancel() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/messages/whatever")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldDescribeSendAtAndTheCancellationInTheOpenApiDocument() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/openapi.json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode doc = JSON.readTree(response.body());
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/openapi.json"), response.body());

        assertThat(doc.at("/components/schemas/SendRequest/properties/sendAt/type").asText()).isEqualTo("string");
        JsonNode cancel = doc.at("/paths/~1api~1v1~1messages~1{id}/delete");
        assertThat(cancel.at("/responses/200/content/application~1json/schema/$ref").asText())
                .endsWith("/MessageStatus");
        assertThat(cancel.at("/responses/404/content/application~1json/schema/$ref").asText()).endsWith("/ErrorsBody");
        assertThat(doc.at("/components/schemas/MessageStatus/properties/sendAt/type").asText()).isEqualTo("string");
    }

    private HttpResponse<String> delete(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/messages/" + id))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + API_KEY).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
