package io.mailbus.outcome;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailbus.smtppool.RecipientFailure;

/**
 * What happened to one recipient: {@code accepted}, {@code refused} (5xx, for good), {@code deferred} (4xx,
 * retried alone), {@code pending} (not tried yet because the whole attempt failed) or {@code suppressed} (on the
 * suppression list after a hard bounce: not sent).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecipientOutcome(String address, String status, Integer code, String enhancedCode, String text) {

    static RecipientOutcome accepted(String address) {
        return new RecipientOutcome(address, "accepted", null, null, null);
    }

    /** A refusal: {@code deferred} when it was a 4xx, {@code refused} when it was for good. */
    static RecipientOutcome of(RecipientFailure f) {
        return new RecipientOutcome(f.address(), f.isTransient() ? "deferred" : "refused", f.code(), f.enhancedCode(),
                f.text());
    }

    static RecipientOutcome suppressed(String address) {
        return new RecipientOutcome(address, "suppressed", null, null, null);
    }

    static RecipientOutcome pending(String address) {
        return new RecipientOutcome(address, "pending", null, null, null);
    }
}
