package io.mailbus.status;

import java.util.Optional;

import io.mailbus.MailbusHeaders;
import io.mailbus.http.CallerScope;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message status for the flows: the status route records every event it receives from {@code email.events}
 * ({@link #record}), off the delivery path; the HTTP edge claims each request for its caller before queuing it
 * ({@link #claim}); {@code GET /api/v1/messages/{id}} reads it back ({@link #lookup}) for the caller's scope only.
 */
public class MessageStatus {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStatus.class);

    private final StatusStore store;

    public MessageStatus(StatusStore store) {
        this.store = store;
    }

    /**
     * One event from {@code email.events}. A database failure is thrown, so the event's consume rolls back and
     * comes again; an event that cannot be read is logged and dropped, never retried.
     */
    public void record(Exchange exchange) {
        String json = exchange.getMessage().getBody(String.class);
        try {
            store.record(json);
        } catch (IllegalArgumentException e) {
            LOG.warn("Status event not recorded: {}", e.getMessage());
        }
    }

    /** At the HTTP edge, once the request is valid and before it is queued: the caller owns its status. */
    public void claim(Exchange exchange) {
        String id = exchange.getMessage().getHeader(MailbusHeaders.REQUEST_ID, String.class);
        if (id != null) {
            store.claim(id, CallerScope.of(exchange));
        }
    }

    /** The status of the request named by the path's {@code id} as the caller may see it; empty when unknown. */
    public Optional<MessageStatusView> lookup(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (id == null || id.isEmpty() || id.length() > 128) {
            return Optional.empty();
        }
        return store.history(id, CallerScope.of(exchange), CallerScope.tenant(exchange))
                .map(events -> MessageStatusView.of(id, events));
    }
}
