package io.mailbus.tenant;

import java.net.URI;
import java.util.Set;

/**
 * One of a tenant's webhook endpoints, as the tenants file gives it: where status events are POSTed, the secret
 * their HMAC-SHA256 signature is made with, and which events it wants. Only parsed and exposed here; the webhook
 * sender reads it through {@link Tenant#webhooks()}.
 *
 * @param url    an absolute http or https URL
 * @param secret the signing secret (inline in the file or read from {@code secretFile}); never printed
 * @param events the event names it wants (queued, delivered, ...); empty means every event
 */
public record WebhookEndpoint(URI url, String secret, Set<String> events) {

    public WebhookEndpoint {
        events = Set.copyOf(events);
    }

    /** Whether an event of this name goes to the endpoint. */
    public boolean wants(String event) {
        return events.isEmpty() || events.contains(event);
    }

    /** Never the secret: a record's own toString would print it into any log line that shows a tenant. */
    @Override
    public String toString() {
        return "WebhookEndpoint[url=" + url + ", secret=****, events=" + events + "]";
    }
}
