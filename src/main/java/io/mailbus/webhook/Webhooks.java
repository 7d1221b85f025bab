package io.mailbus.webhook;

import java.time.Clock;
import java.time.Duration;

import io.mailbus.outcome.RetryPolicy;
import org.apache.camel.CamelContext;

/**
 * Builds the two beans of the webhook flows over one {@link WebhookQueue}, so the machinery stays package-private.
 */
public final class Webhooks {

    private final WebhookFanout fanout;
    private final WebhookSender sender;

    public Webhooks(CamelContext context, WebhookTargets targets, String queueUri, String dlqUri, String retry,
                    Duration maxAge, Duration timeout) throws Exception {
        WebhookQueue queue = new WebhookQueue(context, queueUri, dlqUri);
        context.addService(queue, true, true);
        this.fanout = new WebhookFanout(targets, queue, Clock.systemUTC());
        this.sender = new WebhookSender(targets, queue, RetryPolicy.parse(retry), maxAge, timeout, Clock.systemUTC());
    }

    public WebhookFanout fanout() {
        return fanout;
    }

    public WebhookSender sender() {
        return sender;
    }
}
