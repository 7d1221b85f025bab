package io.mailbus.smtppool;

import java.util.Locale;

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
    private int effective;
    private int healthy;

    AdaptiveConcurrency(int configured) {
        this.configured = configured;
        this.effective = configured;
    }

    /** Whether the failure is a server refusing a connection because we hold too many. */
    static boolean isTooManyConnections(SmtpDeliveryException e) {
        String text = e.getServerText();
        return e.getReplyCode() == 421 && "CONNECT".equals(e.getCommand()) && text != null
               && text.toLowerCase(Locale.ROOT).contains("too many connections");
    }

    /** The server refused one more connection while {@code open} were open; returns the new limit. */
    synchronized int refused(int open) {
        effective = Math.max(1, Math.min(effective, open));
        healthy = 0;
        return effective;
    }

    /** A connection came back healthy; returns the limit, one higher if that made {@value #GROW_AFTER} in a row. */
    synchronized int healthy() {
        if (effective < configured && ++healthy >= GROW_AFTER) {
            effective++;
            healthy = 0;
        }
        return effective;
    }

    synchronized int effective() {
        return effective;
    }
}
