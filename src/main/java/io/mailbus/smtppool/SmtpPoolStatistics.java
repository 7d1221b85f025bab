package io.mailbus.smtppool;

/**
 * A snapshot of one server's pool for metrics; "reused" counts borrows of a connection that had already carried a
 * message, "invalidated" counts connections closed because they broke (421, timeout, I/O error).
 */
public record SmtpPoolStatistics(String server, long created, long reused, long borrowed, long invalidated,
                                 long evicted, long destroyed, int active, int idle, int waiting,
                                 long meanWaitMillis, long maxWaitMillis) {
}
