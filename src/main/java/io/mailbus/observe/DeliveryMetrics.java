package io.mailbus.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.mailbus.outcome.DeliveryEvent;
import io.mailbus.outcome.DeliveryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The delivery metrics, counted from the status events as they are published (so every ingress counts alike):
 * <ul>
 * <li>{@code mailbus_requests_total{ingress,tenant,outcome}}: events by name (queued, delivered, partial, deferred,
 * rejected, invalid, failed, duplicate);</li>
 * <li>{@code mailbus_delivery_latency_seconds{ingress,outcome}}: a histogram from acceptance (the broker's timestamp of
 * the request) to a final outcome (delivered, partial, rejected, failed), retries included;</li>
 * <li>{@code mailbus_delivery_attempts_total{ingress}} and {@code mailbus_delivery_attempts_per_request{outcome}};</li>
 * <li>{@code mailbus_retries_scheduled_total{retry_class}}.</li>
 * </ul>
 * Counted when the event is handed to the broker, in this instance: an outcome whose transaction rolls back has been
 * counted and is counted again when redelivered.
 */
public final class DeliveryMetrics implements DeliveryObserver {

    static final String NO_TENANT = "none";
    private static final Set<String> FINAL = Set.of("delivered", "partial", "rejected", "failed");
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofHours(24), Duration.ofHours(72)};

    private volatile MeterRegistry registry;
    private final Map<List<String>, Object> meters = new ConcurrentHashMap<>();

    /** Counting starts once the registry that /observe/metrics serves exists (the context has started). */
    public void bindTo(MeterRegistry registry) {
        for (String c : new String[] {"connection", "transient", "throttled"}) {
            Counter.builder("mailbus.retries.scheduled").description("Retries scheduled on the retry queue")
                    .tag("retry_class", c).register(registry);
        }
        meters.clear();
        this.registry = registry;
    }

    @Override
    public void event(DeliveryEvent event, Instant acceptedAt) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String ingress = event.ingress() == null ? "unknown" : event.ingress();
        meter(List.of("requests", ingress, tenantOf(event), event.event()), () -> Counter.builder("mailbus.requests")
                .description("Status events by name: the requests' outcomes").tag("ingress", ingress)
                .tag("tenant", tenantOf(event)).tag("outcome", event.event()).register(r), Counter.class).increment();
        if ("deferred".equals(event.event()) && event.retryClass() != null) {
            meter(List.of("retries", event.retryClass()), () -> Counter.builder("mailbus.retries.scheduled")
                    .tag("retry_class", event.retryClass()).register(r), Counter.class).increment();
        }
        if (FINAL.contains(event.event())) {
            meter(List.of("attempts.per.request", event.event()), () -> DistributionSummary
                    .builder("mailbus.delivery.attempts.per.request")
                    .description("Attempts a request took to its final outcome").tag("outcome", event.event())
                    .serviceLevelObjectives(1, 2, 3, 5, 10, 20).register(r), DistributionSummary.class)
                    .record(event.attempt());
            if (acceptedAt != null) {
                // now, not the event's timestamp parsed back (2 % of a delivery thread): a final event is published
                // as it happens
                Duration latency = Duration.between(acceptedAt, Instant.now());
                meter(List.of("latency", ingress, event.event()), () -> Timer.builder("mailbus.delivery.latency")
                        .description("From acceptance to the final outcome, retries included")
                        .tag("ingress", ingress).tag("outcome", event.event())
                        .serviceLevelObjectives(LATENCY_BUCKETS).register(r), Timer.class)
                        .record(latency.isNegative() ? Duration.ZERO : latency);
            }
        }
    }

    @Override
    public void attempt(String ingress) {
        MeterRegistry r = registry;
        if (r != null) {
            String name = ingress == null ? "unknown" : ingress;
            meter(List.of("attempts", name), () -> Counter.builder("mailbus.delivery.attempts")
                    .description("Delivery attempts begun").tag("ingress", name).register(r), Counter.class)
                    .increment();
        }
    }

    /**
     * The meter for these tags, registered once: building and registering it per event (a builder, its sorted tags,
     * the registry's filters and lookup) cost as much as serialising the event (issue 13's profile). The tag values
     * are bounded: ingresses, tenants of the tenants file, event names, retry classes.
     */
    private <M> M meter(List<String> key, Supplier<M> register, Class<M> type) {
        return type.cast(meters.computeIfAbsent(key, k -> register.get()));
    }

    static String tenantOf(DeliveryEvent event) {
        String t = event.tenant();
        return t == null || t.isEmpty() ? NO_TENANT : t;
    }
}
