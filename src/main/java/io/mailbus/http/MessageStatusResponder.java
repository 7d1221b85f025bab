package io.mailbus.http;

import io.mailbus.status.MessageStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** {@code GET /api/v1/messages/{id}}: 200 with the request's status, or 404 when unknown or not the caller's. */
public class MessageStatusResponder implements Processor {

    private final MessageStatus status;

    public MessageStatusResponder(MessageStatus status) {
        this.status = status;
    }

    @Override
    public void process(Exchange exchange) {
        String json = status.lookup(exchange)
                .orElseThrow(() -> new NotFoundException("id", "no message with this id")).toJson();
        JsonReplies.write(exchange, 200, json);
    }
}
