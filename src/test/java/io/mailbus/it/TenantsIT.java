package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.MailbusHeaders;
import io.mailbus.smtppool.ScriptedSmtpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tenants file end to end, on the real application, Artemis and GreenMail: a key's tenant may send only as its
 * sender domains (403 over HTTP, email.invalid on the bus) and through its servers, its default server takes its
 * requests that name none, its token bucket answers 429 with Retry-After, its id is on every event, retry and outcome,
 * and a key rotated while hundreds of requests flow loses none of them. A file that does not parse keeps the last good
 * one in force and the health check says so.
 */
class TenantsIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACME_KEY = "acme-key-" + UUID.randomUUID();
    private static final String SLOW_KEY = "slow-key-" + UUID.randomUUID();
    private static final String BULKY_KEY = "bulky-key-" + UUID.randomUUID();
    private static final String ROT_OLD = "rot-old-" + UUID.randomUUID();
    private static final String ROT_NEW = "rot-new-" + UUID.randomUUID();

    private static final String KAFKA_TOPIC = "email.send.tenants-it";
    private static Path folder;
    private static Path file;
    private static ScriptedSmtpServer bulk;
    private static volatile List<String> rotKeys = List.of(ROT_OLD);

    @Override
    protected void overrides(Properties p) {
        try {
            bulk = new ScriptedSmtpServer();
            folder = Files.createTempDirectory("tenants-it");
            file = folder.resolve("tenants.yaml");
            TenantFiles.write(file, tenantsYaml());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        p.put("mailbus.tenants.file", file.toString());
        p.put("mailbus.tenants.reload-interval", "200ms");
        p.put("mailbus.smtp.servers", "bulk");
        p.put("mailbus.smtp.server.bulk.uri", "smtp-pool:127.0.0.1:" + bulk.port() + "?encryption=none&lazyStart=true");
        // a topic and group of its own: no other class's records, and its own offsets
        p.put("mailbus.kafka.topic", KAFKA_TOPIC);
        p.put("mailbus.kafka.group-id", "tenants-it-" + UUID.randomUUID());
    }

    private static String tenantsYaml() {
        return "tenants:\n"
               + "  acme:\n" + TenantFiles.keys(ACME_KEY)
               + "    senderDomains: [acme.example, mail.acme.example]\n"
               + "    servers: [default]\n"
               + "  slow:\n" + TenantFiles.keys(SLOW_KEY)
               + "    senderDomains: [slow.example]\n"
               + "    rateLimit: { perSecond: 0.01, burst: 2 }\n"
               + "  bulky:\n" + TenantFiles.keys(BULKY_KEY)
               + "    senderDomains: [bulky.example]\n"
               + "    servers: [bulk, default]\n"
               + "    defaultServer: bulk\n"
               + "  rot:\n" + TenantFiles.keys(rotKeys.toArray(String[]::new))
               + "    senderDomains: [rot.example]\n";
    }

    @AfterAll
    void closeServer() throws Exception {
        bulk.close();
    }

    private static String request(String id, String from, String subject, String extra) {
        return """
                {"id": "%s", "from": "%s", "to": ["t@example.com"], "subject": "%s", "text": "x"%s}
                """.formatted(id, from, subject, extra);
    }

    @Test
    void shouldDeliverAsTheKeysTenantWithItsIdOnEveryEvent() throws Exception {
        BusClient bus = bus();
        String id = "acme-" + UUID.randomUUID();
        String subject = "tenant " + id;

        HttpResponse<String> r = post(request(id, "News <news@acme.example>", subject, ""), ACME_KEY);

        assertThat(r.statusCode()).isEqualTo(202);
        Mailboxes.awaitSubject(greenMail(), subject, 1);
        List<JsonNode> events = bus.awaitEvent(id, BusClient.named("delivered"));
        assertThat(events).extracting(e -> e.path("event").asText()).contains("queued", "delivered");
        assertThat(events).allSatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("acme"));
    }

    @Test
    void shouldRefuseASenderOutsideTheTenantsDomainsWith403() throws Exception {
        // a subdomain is not implied, nor another tenant's domain
        for (String from : List.of("x@other.example", "x@sub.acme.example", "x@slow.example")) {
            HttpResponse<String> r = post(request("f-" + UUID.randomUUID(), from, "no", ""), ACME_KEY);

            assertThat(r.statusCode()).as(from).isEqualTo(403);
            JsonNode error = JSON.readTree(r.body()).path("errors").get(0);
            assertThat(error.path("field").asText()).isEqualTo("from");
            assertThat(error.path("code").asText()).isEqualTo("sender_not_allowed");
        }
        assertThat(post(request("f-" + UUID.randomUUID(), "x@mail.acme.example", "listed subdomain", ""), ACME_KEY)
                .statusCode()).isEqualTo(202);
    }

    @Test
    void shouldRouteToTheTenantsDefaultServerAndRefuseAServerItMayNotUse() throws Exception {
        String subject = "bulky default " + UUID.randomUUID();
        assertThat(post(request("b-" + UUID.randomUUID(), "x@bulky.example", subject, ""), BULKY_KEY).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> bulk.messages().stream()
                .anyMatch(m -> new String(m).contains(subject)));
        assertThat(Mailboxes.withSubject(greenMail(), subject)).isEmpty();

        HttpResponse<String> r = post(request("b-" + UUID.randomUUID(), "x@acme.example", "no", ", \"server\": \"bulk\""),
                ACME_KEY);

        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(r.body()).path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("server");
        assertThat(error.path("code").asText()).isEqualTo("server_not_allowed");
    }

    @Test
    void shouldAnswer429WithRetryAfterOnceTheTenantsBucketIsEmpty() throws Exception {
        // burst 2, refilled at one request per 100 s: the third request within that finds the bucket empty
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(post(request("s-" + UUID.randomUUID(), "x@slow.example", "slow " + i, ""), SLOW_KEY));
        }

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(202, 202, 429);
        HttpResponse<String> limited = answers.get(2);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, 100L));
        assertThat(JSON.readTree(limited.body()).path("errors").get(0).path("code").asText()).isEqualTo("rate_limited");
        // another tenant is not slowed by it
        assertThat(post(request("a-" + UUID.randomUUID(), "x@acme.example", "not slowed", ""), ACME_KEY).statusCode())
                .isEqualTo(202);
    }

    @Test
    void shouldSendADisallowedSenderOnTheBusToInvalidWithTheSameCode() throws Exception {
        BusClient bus = bus();
        String wrongSender = "bus-" + UUID.randomUUID();
        String noTenant = "bus-" + UUID.randomUUID();
        String unknownTenant = "bus-" + UUID.randomUUID();
        String fine = "bus-" + UUID.randomUUID();

        bus.send("email.send", request(wrongSender, "x@other.example", "bus", ""), Map.of(MailbusHeaders.TENANT, "acme"));
        bus.send("email.send", request(noTenant, "x@acme.example", "bus", ""), Map.of());
        bus.send("email.send", request(unknownTenant, "x@acme.example", "bus", ""), Map.of(MailbusHeaders.TENANT, "nobody"));
        bus.send("email.send", request(fine, "x@acme.example", "bus ok " + fine, ""), Map.of(MailbusHeaders.TENANT, "acme"));

        TextMessage refused = bus.take("email.invalid", wrongSender);
        assertThat(refused).isNotNull();
        assertThat(refused.getStringProperty(MailbusHeaders.ERROR_CODES)).isEqualTo("sender_not_allowed");
        assertThat(refused.getStringProperty(MailbusHeaders.TENANT)).isEqualTo("acme");
        assertThat(JSON.readTree(refused.getStringProperty(MailbusHeaders.ERRORS)).get(0).path("field").asText())
                .isEqualTo("from");
        assertThat(bus.take("email.invalid", noTenant).getStringProperty(MailbusHeaders.ERROR_CODES))
                .isEqualTo("tenant_required");
        assertThat(bus.take("email.invalid", unknownTenant).getStringProperty(MailbusHeaders.ERROR_CODES))
                .isEqualTo("unknown_tenant");
        List<JsonNode> invalid = bus.awaitEvent(wrongSender, BusClient.named("invalid"));
        assertThat(invalid).allSatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("acme"));
        Mailboxes.awaitSubject(greenMail(), "bus ok " + fine, 1);
        assertThat(bus.awaitEvent(fine, BusClient.named("delivered")))
                .allSatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("acme"));
    }

    @Test
    void shouldTakeTheTenantOfAKafkaRecordFromItsHeader() throws Exception {
        BusClient bus = bus();
        String fine = "kafka-" + UUID.randomUUID();
        String wrongSender = "kafka-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
            ProducerRecord<String, String> ok = new ProducerRecord<>(KAFKA_TOPIC,
                    request(fine, "x@acme.example", "kafka ok " + fine, ""));
            ok.headers().add(MailbusHeaders.TENANT, "acme".getBytes(StandardCharsets.UTF_8));
            ProducerRecord<String, String> refused = new ProducerRecord<>(KAFKA_TOPIC,
                    request(wrongSender, "x@other.example", "kafka", ""));
            refused.headers().add(MailbusHeaders.TENANT, "acme".getBytes(StandardCharsets.UTF_8));
            producer.send(ok).get();
            producer.send(refused).get();
        }

        Mailboxes.awaitSubject(greenMail(), "kafka ok " + fine, 1);
        assertThat(bus.awaitEvent(fine, BusClient.named("delivered"))).allSatisfy(e -> {
            assertThat(e.path("tenant").asText()).isEqualTo("acme");
            assertThat(e.path("ingress").asText()).isEqualTo("kafka");
        });
        TextMessage invalid = bus.take("email.invalid", wrongSender);
        assertThat(invalid).isNotNull();
        assertThat(invalid.getStringProperty(MailbusHeaders.ERROR_CODES)).isEqualTo("sender_not_allowed");
        assertThat(invalid.getStringProperty(MailbusHeaders.TENANT)).isEqualTo("acme");
    }

    @Test
    void shouldKeepTheLastGoodTenantsWhenTheFileBreaksAndSaySoInHealth() throws Exception {
        try {
            TenantFiles.write(file, "tenants:\n  acme: [this is not a tenant\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> "DOWN".equals(tenantsHealth().path("status").asText()));
            assertThat(tenantsHealth().path("message").asText()).contains("tenants file not loaded", "line 3",
                    "stay in force");

            assertThat(post(request("k-" + UUID.randomUUID(), "x@acme.example", "last good", ""), ACME_KEY).statusCode())
                    .isEqualTo(202);
        } finally {
            TenantFiles.write(file, tenantsYaml());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(tenantsHealth().path("status").asText()));
        assertThat(post(request("k-" + UUID.randomUUID(), "x@acme.example", "good again", ""), ACME_KEY).statusCode())
                .isEqualTo(202);
    }

    /** The tenants check as /observe/health shows it: a DOWN check is listed with its message. */
    private JsonNode tenantsHealth() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort()
                + "/observe/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : JSON.readTree(r.body()).path("checks")) {
            if ("tenants".equals(check.path("name").asText())) {
                return check;
            }
        }
        return JSON.createObjectNode().put("status", "UP");
    }

    /**
     * Clients post all the time with the key they hold; the operator adds the new key, then removes the old one.
     * A client answered 401 with the old key switches to the new one and posts the same request again. Every request
     * answered 202 is delivered, no answer is anything but 202 or that 401, and the old key is 401 afterwards.
     */
    @Test
    void shouldLoseNoRequestWhileAKeyIsRotated() throws Exception {
        BusClient bus = bus();
        Map<String, String> accepted = new ConcurrentHashMap<>();
        Set<String> unexpected = ConcurrentHashMap.newKeySet();
        AtomicReference<String> clientKey = new AtomicReference<>(ROT_OLD);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        int maxRequests = 2_000;
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            running.add(clients.submit(() -> {
                while (!stop.get() && sent.incrementAndGet() <= maxRequests) {
                    String id = "rot-" + UUID.randomUUID();
                    String body = request(id, "x@rot.example", "rotation " + id, "");
                    for (int attempt = 0; attempt < 2; attempt++) {
                        String key = clientKey.get();
                        HttpResponse<String> r = post(body, key);
                        if (r.statusCode() == 202) {
                            accepted.put(id, key);
                            break;
                        }
                        if (r.statusCode() == 401 && key.equals(ROT_OLD)) {
                            clientKey.compareAndSet(ROT_OLD, ROT_NEW);
                            continue;
                        }
                        unexpected.add(id + " answered " + r.statusCode() + " with the "
                                       + (key.equals(ROT_OLD) ? "old" : "new") + " key: " + r.body());
                        break;
                    }
                }
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> accepted.size() >= 100 || !unexpected.isEmpty());
            rotKeys = List.of(ROT_OLD, ROT_NEW);
            TenantFiles.write(file, tenantsYaml());
            int overlapStart = accepted.size();
            await().atMost(Duration.ofSeconds(120)).until(() -> accepted.size() >= overlapStart + 100
                                                                || !unexpected.isEmpty());
            rotKeys = List.of(ROT_NEW);
            TenantFiles.write(file, tenantsYaml());
            await().atMost(Duration.ofSeconds(120)).until(() -> ROT_NEW.equals(clientKey.get()) || !unexpected.isEmpty());
            int afterSwitch = accepted.size();
            await().atMost(Duration.ofSeconds(120)).until(() -> accepted.size() >= afterSwitch + 100
                                                                || !unexpected.isEmpty());
        } finally {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.shutdownNow();
        }

        assertThat(unexpected).isEmpty();
        assertThat(accepted.values()).contains(ROT_OLD, ROT_NEW);
        assertThat(accepted.size()).isGreaterThanOrEqualTo(300);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
                accepted.keySet().stream().allMatch(id -> bus.eventsOf(id).stream()
                        .anyMatch(e -> "delivered".equals(e.path("event").asText()))));
        assertThat(accepted.keySet()).allSatisfy(id -> assertThat(bus.eventsOf(id))
                .allSatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("rot")));
        assertThat(post(request("rot-" + UUID.randomUUID(), "x@rot.example", "old key", ""), ROT_OLD).statusCode())
                .isEqualTo(401);
    }
}
