package io.mailbus.status;

import java.util.Optional;

import io.mailbus.MailbusHeaders;
import io.mailbus.http.CallerScope;
import org.apache.camel.Exchange;

/**
 * Message status for the flows: {@link StatusRecorder} records every event of {@code email.events} into the
 * {@link StatusStore}, off the delivery path; the HTTP edge claims each request for its caller before queuing it
 * ({@link #claim}); {@code GET /api/v1/messages/{id}} reads it back ({@link #lookup}) for the caller's scope only.
 */
public class MessageStatus {

    private final StatusStore store;

    public MessageStatus(StatusStore store) {
        this.store = store;
    }

    /** Where the recorder writes; nowhere without a database. */
    public StatusStore store() {
        return store;
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
