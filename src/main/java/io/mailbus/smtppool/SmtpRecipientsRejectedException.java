package io.mailbus.smtppool;

import java.util.List;

/**
 * The server refused every recipient, so nothing was sent. It is transient only when every refusal was a 4xx
 * (e.g. greylisting or a full mailbox that may drain); a single 5xx makes the whole failure permanent, because
 * retrying would at best reach the 4xx recipients and a route should split those out from the recipient results.
 */
public class SmtpRecipientsRejectedException extends SmtpDeliveryException {

    private static final long serialVersionUID = 1L;

    SmtpRecipientsRejectedException(SmtpReply lastReply, List<RecipientFailure> failures, Throwable cause) {
        super("All " + failures.size() + " recipient(s) refused", lastReply, failures, cause);
    }

    @Override
    public boolean isTransient() {
        return !getRecipientFailures().isEmpty() && getRecipientFailures().stream().allMatch(RecipientFailure::isTransient);
    }
}
