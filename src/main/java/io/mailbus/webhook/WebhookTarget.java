package io.mailbus.webhook;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * One endpoint that receives status events: where to POST them, the secret that signs them, and which events it wants.
 * URLs are the operator's (settings or the tenants file), never a request's, and only {@code http}/{@code https}.
 *
 * @param id     stable name of the endpoint; the queued deliveries refer to it, never carry its URL or secret
 * @param url    where events are POSTed
 * @param secret the HMAC-SHA256 key of {@link WebhookSignature}
 * @param events the event names it receives (queued, delivered, ...); empty = every event
 */
public record WebhookTarget(String id, URI url, String secret, Set<String> events) {

    public WebhookTarget {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("webhook: an endpoint needs a name");
        }
        String scheme = url == null || url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("webhook " + id + ": the url must be an absolute http(s) URL");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("webhook " + id + ": a signing secret is required");
        }
        events = events == null ? Set.of() : Set.copyOf(events);
    }

    public boolean wants(String event) {
        return events.isEmpty() || events.contains(event);
    }

    @Override
    public String toString() {
        // never the secret
        return "WebhookTarget[" + id + " " + url + " " + events + "]";
    }
}
