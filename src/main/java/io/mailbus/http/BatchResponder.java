package io.mailbus.http;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.MailbusHeaders;
import io.mailbus.outcome.Batches;
import io.mailbus.request.ValidationError;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code POST /api/v1/messages/batch}: submits every element ({@link Batches#submit}) and answers with one result per
 * element, in order: 202 when at least one element was accepted (the client must read {@code failed} and each
 * result); 422 when the batch was read but every element is invalid. When the broker failed before anything was
 * accepted the batch as a whole was not: 503 {@code queue_unavailable}, as for a single request. A batch unusable as a
 * whole (not JSON, empty, too many) is a 400 error answer from the error handler.
 */
public class BatchResponder implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Batches batches;

    public BatchResponder(Batches batches) {
        this.batches = batches;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<BatchItem> items = batches.submit(exchange.getMessage().getBody(String.class),
                        exchange.getProperty(MailbusHeaders.TENANT_PROPERTY, String.class)).stream()
                .map(r -> new BatchItem(r.index(), r.id(), r.status(), r.sendAt(), r.errors())).toList();
        BatchResults results = new BatchResults(items);
        boolean brokerFailed = items.stream().anyMatch(i -> i.getErrors() != null
                && i.getErrors().stream().anyMatch(e -> "queue_unavailable".equals(e.code())));
        if (results.getAccepted() == 0 && brokerFailed) {
            exchange.getMessage().setHeader("Retry-After", "5");
            JsonReplies.write(exchange, 503, JSON.writeValueAsString(new ErrorsBody(List.of(new ValidationError("",
                    "queue_unavailable", "the batch could not be queued; nothing was accepted, retry later")))),
                    "Retry-After");
            return;
        }
        JsonReplies.write(exchange, results.getAccepted() > 0 ? 202 : 422, JSON.writeValueAsString(results));
    }
}
