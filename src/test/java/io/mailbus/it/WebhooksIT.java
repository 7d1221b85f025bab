package io.mailbus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.webhook.WebhookSignature;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: status events of real deliveries POSTed to a local endpoint that fails with 500 and then
 * recovers. After recovery every event has been answered 200 exactly once, every POST (failed ones too) carries a
 * signature that verifies over its exact body, and the body is the event as published on email.events. A second test
 * stops the fan-out flow (the subscriber is "down"), lets requests be delivered meanwhile, starts it again and sees
 * their events arrive: the durable subscription kept them.
 */
class WebhooksIT extends MailbusTestSupport {

    private static final String SECRET = "whsec-test-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private WebhookReceiver receiver;

    @Override
    protected void overrides(Properties p) {
        try {
            receiver = new WebhookReceiver();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("mailbus.webhooks.enabled", "true");
        p.put("mailbus.webhooks", "ops");
        p.put("mailbus.webhooks.ops.url", receiver.url());
        p.put("mailbus.webhooks.ops.secret", SECRET);
        p.put("mailbus.webhooks.ops.events", "queued,delivered");
        // waits of 200 ms (plain numbers are milliseconds), far more of them than the test needs
        p.put("mailbus.webhooks.retry", "200*1000");
        p.put("mailbus.webhooks.max-age", "30m");
    }

    @Test
    void everyEventArrivesOnceAndSignedAfterTheEndpointRecovers() throws Exception {
        receiver.failing.set(true);
        List<String> ids = send(3, "webhook-retry");
        Set<String> eventIds = eventIdsOf(ids);
        assertThat(eventIds).hasSize(6);

        // every event has been refused at least once before the endpoint recovers
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.posts().stream()
                .filter(p -> p.answered() == 500).map(WebhookReceiver.Post::eventId).collect(Collectors.toSet())
                .containsAll(eventIds));
        receiver.failing.set(false);

        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged(eventIds).keySet().containsAll(eventIds));
        Map<String, Long> acks = acknowledged(eventIds);
        assertThat(acks).as("200 answers per event id").allSatisfy((id, n) -> assertThat(n).isEqualTo(1L));
        List<WebhookReceiver.Post> ours = receiver.posts().stream().filter(p -> eventIds.contains(p.eventId())).toList();
        assertThat(ours).allSatisfy(p -> assertThat(WebhookSignature.verify(p.signature(), p.body(), SECRET,
                Instant.now(), Duration.ofMinutes(5))).as("signature of %s", p.eventId()).isTrue());
        assertThat(ours).anySatisfy(p -> assertThat(p.attempt()).isGreaterThan(1));
        for (String id : ids) {
            for (JsonNode published : bus().eventsOf(id)) {
                WebhookReceiver.Post ok = ours.stream().filter(p -> p.answered() == 200
                        && p.eventId().equals(published.path("eventId").asText())).findFirst().orElseThrow();
                assertThat(JSON.readTree(ok.body())).isEqualTo(published);
                assertThat(ok.event()).isEqualTo(published.path("event").asText());
            }
        }
        // a tampered body or another secret does not verify
        WebhookReceiver.Post any = ours.get(0);
        assertThat(WebhookSignature.verify(any.signature(), any.body() + " ", SECRET, Instant.now(),
                Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify(any.signature(), any.body(), SECRET + "x", Instant.now(),
                Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void eventsPublishedWhileTheSubscriberIsDownArriveWhenItIsBack() throws Exception {
        receiver.failing.set(false);
        context().getRouteController().stopRoute("webhook-fanout");
        List<String> ids = send(2, "webhook-down");
        Set<String> eventIds = eventIdsOf(ids);
        assertThat(receiver.posts()).noneMatch(p -> eventIds.contains(p.eventId()));

        context().getRouteController().startRoute("webhook-fanout");
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged(eventIds).keySet().containsAll(eventIds));
        assertThat(acknowledged(eventIds)).allSatisfy((id, n) -> assertThat(n).isEqualTo(1L));
    }

    /**
     * The documented way for any other consumer of email.events: a JMS 2.0 shared durable subscription of its own
     * name. Subscribed once, then down while requests are delivered, it receives their events when it is back.
     */
    @Test
    void aSharedDurableSubscriberThatWasDownReceivesWhatWasPublishedMeanwhile() throws Exception {
        String name = "audit-" + UUID.randomUUID();
        var factory = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(TestBrokers.artemis().url());
        try (jakarta.jms.JMSContext jms = factory.createContext()) {
            jms.createSharedDurableConsumer(jms.createTopic("email.events"), name).close();
        }
        List<String> ids = send(2, "durable-down");
        Set<String> eventIds = eventIdsOf(ids);

        Set<String> received = new java.util.HashSet<>();
        try (jakarta.jms.JMSContext jms = factory.createContext()) {
            jakarta.jms.JMSConsumer consumer = jms.createSharedDurableConsumer(jms.createTopic("email.events"), name);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!received.containsAll(eventIds) && System.nanoTime() < deadline) {
                jakarta.jms.Message m = consumer.receive(500);
                if (m != null) {
                    received.add(JSON.readTree(m.getBody(String.class)).path("eventId").asText());
                }
            }
            consumer.close();
            jms.unsubscribe(name);
        }
        assertThat(received).containsAll(eventIds);
    }

    /** Posts n requests, waits for each to be delivered; their ids. */
    private List<String> send(int n, String marker) throws Exception {
        bus();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = post("""
                    {"to": ["hook@example.com"], "subject": "%s %d", "text": "webhook body"}
                    """.formatted(marker, i), API_KEY);
            assertThat(r.statusCode()).isEqualTo(202);
            ids.add(JSON.readTree(r.body()).path("id").asText());
        }
        for (String id : ids) {
            bus().awaitEvent(id, BusClient.named("delivered"));
        }
        return ids;
    }

    private Set<String> eventIdsOf(List<String> ids) throws Exception {
        Set<String> out = new java.util.HashSet<>();
        for (String id : ids) {
            for (JsonNode e : bus().eventsOf(id)) {
                assertThat(e.path("eventId").asText()).isNotBlank();
                out.add(e.path("eventId").asText());
            }
        }
        return out;
    }

    private Map<String, Long> acknowledged(Set<String> eventIds) {
        return receiver.posts().stream().filter(p -> p.answered() == 200 && eventIds.contains(p.eventId()))
                .collect(Collectors.groupingBy(WebhookReceiver.Post::eventId, Collectors.counting()));
    }
}
