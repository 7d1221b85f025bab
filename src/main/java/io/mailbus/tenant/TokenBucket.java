package io.mailbus.tenant;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}; a request takes one or is told how long
 * until one is there. Hand-written rather than resilience4j's RateLimiter, which refills a fixed number of permits per
 * period (a window: twice the limit can pass across a window's edge, and there is no burst size of its own) and is
 * built to make callers wait; the edge must answer 429 at once with the wait in {@code Retry-After}.
 */
final class TokenBucket {

    private final RateLimit limit;
    private final double tokensPerNano;
    private double tokens;
    private long refilledAt;

    TokenBucket(RateLimit limit, long nowNanos) {
        this.limit = limit;
        this.tokensPerNano = limit.perSecond() / 1e9;
        this.tokens = limit.burst();
        this.refilledAt = nowNanos;
    }

    RateLimit limit() {
        return limit;
    }

    /** 0 when a token was taken, else the whole seconds (at least 1) until one will be there. */
    synchronized long acquire(long nowNanos) {
        tokens = Math.min(limit.burst(), tokens + Math.max(0, nowNanos - refilledAt) * tokensPerNano);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / limit.perSecond()));
    }
}
