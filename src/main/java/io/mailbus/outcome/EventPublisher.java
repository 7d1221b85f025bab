package io.mailbus.outcome;

import io.mailbus.MailbusHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends status events to {@code mailbus.endpoint.events} as their own messages, so publishing never changes
 * the exchange being delivered. It runs on the caller's thread: on the JMS ingress the event joins the
 * consumer's local transaction and is published only if the outcome commits. A failure to publish is logged, never allowed to fail or repeat a delivery: events report on mail, they are not the mail.
 */
public class EventPublisher extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final CamelContext context;
    private final String endpointUri;
    private ProducerTemplate template;
    private Endpoint endpoint;
    private volatile DeliveryObserver observer = DeliveryObserver.NONE;

    public EventPublisher(CamelContext context, String endpointUri) {
        this.context = context;
        this.endpointUri = endpointUri;
    }

    /** Who else hears of every event and attempt (the metrics); set once at start-up. */
    public void setObserver(DeliveryObserver observer) {
        this.observer = observer == null ? DeliveryObserver.NONE : observer;
    }

    DeliveryObserver observer() {
        return observer;
    }

    public void publish(DeliveryEvent event) {
        publish(event, null);
    }

    /** @param acceptedAt when the request was accepted, if known: the observer's latency counts from it */
    void publish(DeliveryEvent event, java.time.Instant acceptedAt) {
        if (event == null) {
            return;
        }
        try {
            observer.event(event, acceptedAt);
        } catch (RuntimeException e) {
            LOG.warn("observer of status event {} failed: {}", event.event(), e.toString());
        }
        try {
            ProducerTemplate t = template();
            t.sendBodyAndHeaders(endpoint, ExchangePattern.InOnly, event.toJson(),
                    java.util.Map.of(MailbusHeaders.EVENT, event.event(), MailbusHeaders.EVENT_ID, event.eventId()));
        } catch (RuntimeException e) {
            LOG.warn("Status event {} for request {} not published to {}: {}", event.event(), event.id(), endpointUri,
                    e.toString());
        }
    }

    /** The template and the endpoint, resolved once: resolving the URI on every send cost a normalisation each. */
    private synchronized ProducerTemplate template() {
        if (template == null) {
            endpoint = context.getEndpoint(endpointUri);
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
