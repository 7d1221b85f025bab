package io.mailbus.tenant;

/**
 * A tenant's request rate at the HTTP edge: a token bucket that refills {@code perSecond} tokens a second up to
 * {@code burst}; each request takes one.
 */
public record RateLimit(double perSecond, int burst) {

    public RateLimit {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rateLimit needs perSecond > 0 and burst >= 1");
        }
    }
}
