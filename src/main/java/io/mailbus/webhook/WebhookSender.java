package io.mailbus.webhook;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mailbus.MailbusHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one queued delivery (the {@code webhook-deliver} flow) and, when the endpoint does not answer 2xx, schedules
 * the next try on the same queue with Artemis's scheduled delivery ({@code _AMQ_SCHED_DELIVERY}), as mail retries
 * are: no thread sleeps and a restart loses nothing. Past the schedule or the maximum age the delivery goes to the
 * webhook dead-letter queue. Delivery is at least once (a crash after the 2xx and before the commit POSTs again):
 * receivers de-duplicate by {@code Mailbus-Event-Id}.
 */
public class WebhookSender {

    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final WebhookTargets targets;
    private final WebhookQueue queue;
    private final List<Duration> schedule;
    private final Duration maxAge;
    private final Duration timeout;
    private final HttpClient http;
    private final Clock clock;

    WebhookSender(WebhookTargets targets, WebhookQueue queue, List<Duration> schedule, Duration maxAge,
                  Duration timeout, Clock clock) {
        this.targets = targets;
        this.queue = queue;
        this.schedule = List.copyOf(schedule);
        this.maxAge = maxAge;
        this.timeout = timeout;
        this.clock = clock;
        // never follow a redirect: the operator configured the URL, a 3xx must not send the event elsewhere
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public void deliver(Exchange exchange) throws InterruptedException {
        Message m = exchange.getMessage();
        String body = m.getBody(String.class);
        String tenant = m.getHeader(MailbusHeaders.TENANT, String.class);
        String targetId = m.getHeader(MailbusHeaders.WEBHOOK_TARGET, String.class);
        String eventId = m.getHeader(MailbusHeaders.EVENT_ID, String.class);
        Optional<WebhookTarget> target = targetId == null ? Optional.empty() : targets.find(tenant, targetId);
        if (target.isEmpty() || body == null || eventId == null) {
            LOG.warn("webhook delivery of event {} dropped: endpoint {} is no longer configured", eventId, targetId);
            return;
        }
        int attempt = intHeader(m, MailbusHeaders.WEBHOOK_ATTEMPT, 1);
        Instant now = clock.instant();
        long firstAt = Math.min(longHeader(m, MailbusHeaders.WEBHOOK_FIRST_AT, now.toEpochMilli()), now.toEpochMilli());
        String failure = post(target.get(), body, eventId, m.getHeader(MailbusHeaders.EVENT, String.class), attempt, now);
        if (failure == null) {
            return;
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(MailbusHeaders.WEBHOOK_TARGET, targetId);
        if (tenant != null) {
            headers.put(MailbusHeaders.TENANT, tenant);
        }
        headers.put(MailbusHeaders.EVENT, m.getHeader(MailbusHeaders.EVENT, String.class));
        headers.put(MailbusHeaders.EVENT_ID, eventId);
        headers.put(MailbusHeaders.WEBHOOK_FIRST_AT, String.valueOf(firstAt));
        headers.put(MailbusHeaders.WEBHOOK_LAST_ERROR, failure);
        Duration age = Duration.ofMillis(now.toEpochMilli() - firstAt);
        if (attempt - 1 < schedule.size() && age.plus(schedule.get(attempt - 1)).compareTo(maxAge) <= 0) {
            Duration wait = schedule.get(attempt - 1);
            headers.put(MailbusHeaders.WEBHOOK_ATTEMPT, String.valueOf(attempt + 1));
            headers.put(SCHEDULED_DELIVERY, now.plus(wait).toEpochMilli());
            LOG.info("webhook {}: event {} not accepted ({}), attempt {}; next in {}", targetId, eventId, failure,
                    attempt, wait);
            queue.send(body, headers);
        } else {
            headers.put(MailbusHeaders.WEBHOOK_ATTEMPT, String.valueOf(attempt));
            LOG.warn("webhook {}: event {} given up after {} attempts ({}); kept on the webhook dead-letter queue",
                    targetId, eventId, attempt, failure);
            queue.deadLetter(body, headers);
        }
    }

    /** @return null when the endpoint answered 2xx, else what went wrong (status or error, never the body) */
    private String post(WebhookTarget target, String body, String eventId, String event, int attempt, Instant now)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target.url())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Mailbus-Webhooks/1")
                .header(WebhookSignature.HEADER, WebhookSignature.sign(target.secret(), now, body))
                .header("Mailbus-Event-Id", eventId)
                .header("Mailbus-Event", event == null ? "" : event)
                .header("Mailbus-Delivery-Attempt", String.valueOf(attempt))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300 ? null : "HTTP " + status;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        }
    }

    private static int intHeader(Message m, String name, int dflt) {
        try {
            int n = Integer.parseInt(m.getHeader(name, String.class));
            return n >= 1 ? n : dflt;
        } catch (RuntimeException e) {
            return dflt;
        }
    }

    private static long longHeader(Message m, String name, long dflt) {
        try {
            long n = Long.parseLong(m.getHeader(name, String.class));
            return n > 0 ? n : dflt;
        } catch (RuntimeException e) {
            return dflt;
        }
    }
}
