package io.mailbus.outcome;

import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.smtppool.SmtpDeliveryException;

/**
 * Where a failed attempt goes, as {@link FailureClassifier} decided it.
 *
 * @param kind       the outcome
 * @param retryClass for {@link Kind#RETRY}: whose schedule the wait follows; null otherwise
 * @param smtp       the SMTP failure that decided it, found anywhere in the cause chain; null when none
 * @param error      the failure as caught
 */
public record Verdict(Kind kind, RetryClass retryClass, SmtpDeliveryException smtp, Throwable error) {

    /** The outcomes of a failed attempt; a successful one is delivered or partial. */
    public enum Kind {
        /** Nothing was sent: the server's rate or open circuit says later; the same attempt waits in the broker. */
        DEFERRED,
        /** A 4xx or a network fault: back to the broker for a later attempt on its class's schedule. */
        RETRY,
        /** A 5xx about the message or its recipients: {@code email.rejected}, never retried. */
        REJECTED,
        /** Our own SMTP set-up is wrong (credentials, TLS, a server refusing us): {@code email.dlq}, to replay. */
        CONFIGURATION,
        /** The request broke a rule: {@code email.invalid}. */
        INVALID,
        /** Anything else, a bug included: {@code email.dlq}. */
        INTERNAL
    }

    /** For {@link Kind#INVALID}: the validation failure, wherever it was in the cause chain. */
    InvalidSendRequestException invalid() {
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof InvalidSendRequestException e) {
                return e;
            }
        }
        throw new IllegalStateException("not an invalid request: " + error);
    }
}
