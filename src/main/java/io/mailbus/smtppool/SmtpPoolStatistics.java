package io.mailbus.smtppool;

/**
 * A snapshot of one server's pool for metrics; "reused" counts borrows of a connection that had already carried a
 * message, "invalidated" counts connections closed because they broke (421, timeout, I/O error). "meanWaitMillis"
 * and "maxWaitMillis" are Commons Pool's figures for successful borrows; "borrowAttempts" and "totalWaitNanos"
 * count every borrow, failed ones included, and the time spent in it (waiting for a free connection or opening one).
 * "maxTotal" is how many connections the pool may open now: poolMaxTotal, or fewer while the server refuses more
 * ({@code 421 ... too many connections}), see {@link AdaptiveConcurrency}.
 */
public record SmtpPoolStatistics(String server, long created, long reused, long borrowed, long invalidated,
                                 long evicted, long destroyed, int active, int idle, int waiting,
                                 long meanWaitMillis, long maxWaitMillis, long borrowAttempts, long totalWaitNanos,
                                 int maxTotal) {
}
