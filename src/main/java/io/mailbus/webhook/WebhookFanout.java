package io.mailbus.webhook;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.MailbusHeaders;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one status event into one queued delivery per endpoint that wants it (the {@code webhook-fanout} flow, on the
 * durable subscription to {@code email.events}). Nothing is POSTed here: a slow or dead endpoint holds up only its own
 * delivery on the webhook queue, never the events of others, and never the mail.
 */
public class WebhookFanout {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookFanout.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookTargets targets;
    private final WebhookQueue queue;
    private final Clock clock;

    WebhookFanout(WebhookTargets targets, WebhookQueue queue, Clock clock) {
        this.targets = targets;
        this.queue = queue;
        this.clock = clock;
    }

    public void fanOut(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        JsonNode event;
        try {
            event = body == null ? null : JSON.readTree(body);
        } catch (Exception e) {
            event = null;
        }
        if (event == null || !event.path("event").isTextual()) {
            LOG.warn("a message on the events topic is not a status event: not sent to webhooks");
            return;
        }
        String name = event.path("event").asText();
        String eventId = event.path("eventId").isTextual() ? event.path("eventId").asText() : UUID.randomUUID().toString();
        String tenant = event.path("tenant").isTextual() ? event.path("tenant").asText() : null;
        for (WebhookTarget target : targets.forTenant(tenant)) {
            if (!target.wants(name)) {
                continue;
            }
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put(MailbusHeaders.WEBHOOK_TARGET, target.id());
            if (tenant != null) {
                headers.put(MailbusHeaders.TENANT, tenant);
            }
            headers.put(MailbusHeaders.EVENT, name);
            headers.put(MailbusHeaders.EVENT_ID, eventId);
            headers.put(MailbusHeaders.WEBHOOK_ATTEMPT, "1");
            headers.put(MailbusHeaders.WEBHOOK_FIRST_AT, String.valueOf(clock.millis()));
            queue.send(body, headers);
        }
    }
}
