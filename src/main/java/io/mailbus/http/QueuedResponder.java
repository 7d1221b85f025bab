package io.mailbus.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.outcome.Batches;
import io.mailbus.outcome.ScheduledSends;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The 202 answer, written only after the broker confirmed the durable send: {@code queued}, or {@code scheduled} with its {@code sendAt}. */
public class QueuedResponder implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        String sendAt = exchange.getProperty(ScheduledSends.SEND_AT_PROPERTY, String.class);
        MessageStatus body = new MessageStatus(exchange.getProperty("mailbusRequestId", String.class),
                sendAt == null ? "queued" : "scheduled", sendAt);
        List<?> fanOut = exchange.getProperty(Batches.FAN_OUT_PROPERTY, List.class);
        if (fanOut != null) {
            body.setMessages(fanOut.stream().map(Batches.Result.class::cast)
                    .map(r -> new MessageStatus(r.id(), r.status(), r.sendAt())).toList());
        }
        JsonReplies.write(exchange, 202, JSON.writeValueAsString(body));
    }
}
