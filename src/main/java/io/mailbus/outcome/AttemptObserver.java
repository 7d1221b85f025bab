package io.mailbus.outcome;

import org.apache.camel.Exchange;

/**
 * Told how each attempt that reached a server ended, so that something per server (its circuit) can learn whether
 * the server is reachable. Called first, before the outcome is written, on the attempt's own thread.
 */
@FunctionalInterface
public interface AttemptObserver {

    AttemptObserver NONE = (exchange, connectionFailure) -> { };

    /** @param connectionFailure the server could not be reached or dropped us (a connection-class retry) */
    void ended(Exchange exchange, boolean connectionFailure);
}
