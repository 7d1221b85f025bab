package io.mailbus.tenant;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link TokenBucket} per tenant with a rate limit; a reload keeps a bucket whose limit did not change. */
final class RateLimits {

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    long acquire(Tenant tenant, long nowNanos) {
        RateLimit limit = tenant.rateLimit();
        if (limit == null) {
            return 0;
        }
        TokenBucket bucket = buckets.get(tenant.id());
        if (bucket == null || !bucket.limit().equals(limit)) {
            bucket = buckets.compute(tenant.id(), (id, b) -> b != null && b.limit().equals(limit) ? b
                    : new TokenBucket(limit, nowNanos));
        }
        return bucket.acquire(nowNanos);
    }

    /** Drops the buckets of tenants gone or whose limit changed. */
    void retain(Map<String, Tenant> tenants) {
        buckets.entrySet().removeIf(e -> {
            Tenant t = tenants.get(e.getKey());
            return t == null || !Objects.equals(t.rateLimit(), e.getValue().limit());
        });
    }
}
