package io.mailbus.outcome;

import java.util.EnumMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Puts a request on the queue its outcome names ({@code mailbus.endpoint.*}). It sends on the caller's thread, so on
 * the JMS ingress the copy joins the consumer's transaction: the request leaves {@code email.send} only together
 * with its copy on the outcome queue. A failed send is thrown, never swallowed: the consume rolls back (JMS) or the
 * record is not committed (Kafka), and the broker hands the request back.
 */
public class OutcomeQueues extends ServiceSupport {

    /** The destinations, each one {@code mailbus.endpoint.*} setting. */
    public enum Queue {
        INVALID, REJECTED, DLQ, RETRY, SCHEDULED, SEND
    }

    private final CamelContext context;
    private final Map<Queue, String> uris;
    private final Map<Queue, Endpoint> endpoints = new EnumMap<>(Queue.class);
    private ProducerTemplate template;

    public OutcomeQueues(CamelContext context, Map<Queue, String> uris) {
        this.context = context;
        this.uris = new EnumMap<>(uris);
    }

    /** @param body the request's JSON: text, or a file (a large request, streamed to the broker) */
    void send(Queue queue, Object body, Map<String, Object> headers) {
        try {
            template().sendBodyAndHeaders(endpoint(queue), ExchangePattern.InOnly, body, headers);
        } catch (RuntimeException e) {
            throw new OutcomeNotRecordedException(queue, e);
        }
    }

    /**
     * The outcome could not be written: the attempt must end unrecorded, so the broker hands the request back. The
     * {@code outcomes} handler throws it on instead of classifying it, which rolls the consume back.
     */
    static final class OutcomeNotRecordedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutcomeNotRecordedException(Queue queue, Throwable cause) {
            super("the request could not be put on the " + queue.name().toLowerCase(java.util.Locale.ROOT)
                  + " queue: the consume is rolled back", cause);
        }
    }

    private synchronized Endpoint endpoint(Queue queue) {
        return endpoints.computeIfAbsent(queue, q -> context.getEndpoint(uris.get(q)));
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
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
