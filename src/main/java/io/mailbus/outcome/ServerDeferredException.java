package io.mailbus.outcome;

import java.time.Instant;

/**
 * The request's server cannot take it now for a reason of our own making (its rate limit is reached, its circuit is
 * open): the request waits in the broker until {@link #until()} and comes back as the same attempt. Nothing was
 * sent, so no retry of any class is spent and the wait does not count against the maximum age.
 */
public class ServerDeferredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The server's rate per second or per minute is used up. */
    public static final String RATE_LIMITED = "rate_limited";
    /** Too many connection failures in a row: the server is given a rest. */
    public static final String CIRCUIT_OPEN = "circuit_open";

    private final String server;
    private final String reason;
    private final transient Instant until;

    public ServerDeferredException(String server, String reason, Instant until) {
        super("SMTP server " + server + " cannot take the request before " + until + ": " + reason, null, false,
              false);
        this.server = server;
        this.reason = reason;
        this.until = until;
    }

    public String server() {
        return server;
    }

    /** {@value #RATE_LIMITED} or {@value #CIRCUIT_OPEN}: the {@code reason} of the {@code deferred} event. */
    public String reason() {
        return reason;
    }

    public Instant until() {
        return until;
    }
}
