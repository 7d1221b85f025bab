package io.mailbus.http;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.MailbusHeaders;
import io.mailbus.outcome.ScheduledSends;
import io.mailbus.request.ValidationError;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code DELETE /api/v1/messages/{id}}: cancels a scheduled send while it waits. 200 {@code {"id","status":"cancelled"}}
 * once it is removed from the broker (so the answer is final, not a promise: 200 rather than 202); 404
 * {@code not_found} when nothing waits under the id; 409 {@code not_cancellable} when it was scheduled and has left
 * the queue to be delivered.
 */
public class CancelResponder implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScheduledSends scheduled;

    public CancelResponder(ScheduledSends scheduled) {
        this.scheduled = scheduled;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String id = exchange.getMessage().getHeader("id", String.class);
        ScheduledSends.Cancellation result = id == null || id.isBlank() || id.length() > 128
                ? ScheduledSends.Cancellation.NOT_FOUND
                : scheduled.cancel(id, exchange.getProperty(MailbusHeaders.TENANT_PROPERTY, String.class));
        switch (result) {
            case CANCELLED -> {
                MessageStatus body = new MessageStatus(id, "cancelled", null);
                JsonReplies.write(exchange, 200, JSON.writeValueAsString(body));
            }
            case NOT_CANCELLABLE -> error(exchange, 409, "not_cancellable",
                    "the message has left the schedule and is being or has been delivered");
            case NOT_FOUND -> error(exchange, 404, "not_found", "no scheduled message waits with this id");
        }
    }

    private static void error(Exchange exchange, int status, String code, String message) throws Exception {
        JsonReplies.write(exchange, status, JSON.writeValueAsString(
                new ErrorsBody(List.of(new ValidationError("id", code, message)))));
    }
}
