package io.mailbus.outcome;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What happened to one recipient: {@code accepted}, {@code refused} (5xx, for good), {@code deferred} (4xx,
 * retried alone) or {@code pending} (not tried yet because the whole attempt failed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecipientOutcome(String address, String status, Integer code, String enhancedCode, String text) {

    static RecipientOutcome accepted(String address) {
        return new RecipientOutcome(address, "accepted", null, null, null);
    }

    static RecipientOutcome pending(String address) {
        return new RecipientOutcome(address, "pending", null, null, null);
    }
}
