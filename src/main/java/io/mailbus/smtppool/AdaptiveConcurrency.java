package io.mailbus.smtppool;

import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * How many connections a pool may open now. A server that limits connections per client (Postfix's anvil:
 * {@code 421 4.7.0 mx.example: too many connections from 10.0.0.1}) refuses every connection above its limit, so
 * opening up to poolMaxTotal only earns refusals; after such a refusal the limit drops to the connections that are
 * open (at least one) and climbs back by one after {@value #GROW_AFTER} connections in a row came back healthy, so
 * a server whose limit was raised, or that was only busy, gets the configured concurrency again.
 */
final class AdaptiveConcurrency {

    static final int GROW_AFTER = 100;

    private final int configured;
    private final IntConsumer apply;
    private int effective;
    private int healthy;

    /** {@code apply} is told every new limit, under this object's lock, so limits reach the pool in order. */
    AdaptiveConcurrency(int configured, IntConsumer apply) {
        this.configured = configured;
        this.apply = apply;
        this.effective = configured;
    }

    /**
     * Whether the failure is a server saying we hold too many connections or sessions: {@code 421 4.7.0} (Postfix's
     * anvil, Exchange Online throttling), {@code 432 4.3.2} (Exchange Online: "Concurrent connections limit exceeded",
     * "sender thread limit exceeded"), or any 4xx whose text says "too many connections" or "concurrent connections".
     */
    static boolean isTooManyConnections(SmtpDeliveryException e) {
        int code = e.getReplyCode();
        if (code < 400 || code > 499) {
            return false;
        }
        String enhanced = e.getEnhancedCode();
        String text = e.getServerText() == null ? "" : e.getServerText().toLowerCase(Locale.ROOT);
        return (code == 421 && "4.7.0".equals(enhanced))
               || (code == 432 && (enhanced == null || "4.3.2".equals(enhanced)))
               || text.contains("too many connections") || text.contains("concurrent connections");
    }

    /** The server refused one more connection while {@code open} were open. */
    synchronized void refused(int open) {
        healthy = 0;
        set(Math.max(1, Math.min(effective, open)));
    }

    /** A connection came back healthy; {@value #GROW_AFTER} in a row raise the limit by one. */
    synchronized void healthy() {
        if (effective < configured && ++healthy >= GROW_AFTER) {
            healthy = 0;
            set(effective + 1);
        }
    }

    private void set(int limit) {
        if (limit != effective) {
            effective = limit;
            apply.accept(limit);
        }
    }

    synchronized int effective() {
        return effective;
    }
}
