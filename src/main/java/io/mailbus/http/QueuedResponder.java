package io.mailbus.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The 202 answer, written only after the broker confirmed the durable send. */
public class QueuedResponder implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", exchange.getProperty("mailbusRequestId", String.class));
        body.put("status", "queued");
        JsonReplies.write(exchange, 202, JSON.writeValueAsString(body));
    }
}
