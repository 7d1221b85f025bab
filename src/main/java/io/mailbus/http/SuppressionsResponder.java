package io.mailbus.http;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.ValidationError;
import io.mailbus.suppression.SuppressionList;
import io.mailbus.suppression.SuppressionPage;
import org.apache.camel.Exchange;

/**
 * {@code /api/v1/suppressions}: the caller's tenant's suppression list (the one list when tenants are not
 * configured): a page of it, one address, or an address taken off it so it is mailed again.
 */
public class SuppressionsResponder {

    static final int MAX_LIMIT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final SuppressionList list;

    public SuppressionsResponder(SuppressionList list) {
        this.list = list;
    }

    private static String scope(Exchange exchange) {
        return SuppressionList.scopeOf(CallerScope.tenant(exchange));
    }

    private static String address(Exchange exchange) {
        String address = exchange.getMessage().getHeader("address", String.class);
        if (address == null || address.isEmpty() || address.length() > 320) {
            throw new NotFoundException("address", "no suppression for this address");
        }
        return address;
    }

    public void get(Exchange exchange) throws JsonProcessingException {
        SuppressionList.Entry entry = list.get(scope(exchange), address(exchange))
                .orElseThrow(() -> new NotFoundException("address", "no suppression for this address"));
        JsonReplies.write(exchange, 200, JSON.writeValueAsString(entry));
    }

    public void delete(Exchange exchange) {
        if (!list.remove(scope(exchange), address(exchange))) {
            throw new NotFoundException("address", "no suppression for this address");
        }
        JsonReplies.write(exchange, 204, null);
    }

    public void list(Exchange exchange) throws JsonProcessingException {
        String limitText = exchange.getMessage().getHeader("limit", String.class);
        int limit = 100;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidSendRequestException(List.of(new ValidationError("limit", "invalid_limit",
                        "a whole number from 1 to " + MAX_LIMIT)));
            }
        }
        List<SuppressionList.Entry> page = list.list(scope(exchange), exchange.getMessage().getHeader("after", String.class),
                limit);
        String next = page.size() == limit ? page.get(page.size() - 1).address() : null;
        JsonReplies.write(exchange, 200, JSON.writeValueAsString(new SuppressionPage(page, next)));
    }
}
