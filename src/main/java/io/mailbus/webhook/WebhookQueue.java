package io.mailbus.webhook;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The queue of pending webhook deliveries and its dead-letter queue. Sends run on the caller's thread, so on the
 * transacted consumers they commit together with the message being consumed: an event leaves the subscription only
 * with its deliveries queued, a delivery leaves the queue only with its retry scheduled.
 */
final class WebhookQueue extends ServiceSupport {

    private final CamelContext context;
    private final String queueUri;
    private final String dlqUri;
    private ProducerTemplate template;
    private Endpoint queue;
    private Endpoint dlq;

    WebhookQueue(CamelContext context, String queueUri, String dlqUri) {
        this.context = context;
        this.queueUri = queueUri;
        this.dlqUri = dlqUri;
    }

    void send(String body, Map<String, Object> headers) {
        template().sendBodyAndHeaders(queue, ExchangePattern.InOnly, body, headers);
    }

    void deadLetter(String body, Map<String, Object> headers) {
        template().sendBodyAndHeaders(dlq, ExchangePattern.InOnly, body, headers);
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            queue = context.getEndpoint(queueUri);
            dlq = context.getEndpoint(dlqUri);
            template = context.createProducerTemplate();
        }
        return template;
    }

    @Override
    protected void doStop() throws Exception {
        if (template != null) {
            template.stop();
        }
    }
}
