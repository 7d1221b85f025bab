package io.mailbus.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * One server's circuit, a resilience4j {@link CircuitBreaker}: {@code threshold} connection-class failures in a row
 * (refused, reset, timed out, 421) open it for {@code openFor}; then one attempt is let through (half-open), and its
 * outcome closes the circuit or opens it again. Every other outcome, a 5xx or a 4xx to a recipient included, shows
 * the server reachable and counts as a success. resilience4j does the state machine; this class only remembers when
 * the circuit opened, which resilience4j does not say, so that waiting requests know when to come back.
 */
final class ServerCircuit {

    private final CircuitBreaker breaker;
    private final Duration openFor;
    private final Clock clock;
    private volatile Instant openedAt = Instant.EPOCH;

    ServerCircuit(String server, int threshold, Duration openFor, Clock clock) {
        this.openFor = openFor;
        this.clock = clock;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(threshold)
                .minimumNumberOfCalls(threshold)
                .failureRateThreshold(100f) // every one of the last `threshold` attempts failed to connect
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                // a trial attempt whose end is never told (the process stopping mid-send) must not hold it half-open
                .maxWaitDurationInHalfOpenState(openFor.multipliedBy(2))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
        this.breaker = CircuitBreaker.of(server, config);
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
            }
        });
    }

    /** Whether an attempt may go to the server now; if so, its end must be told ({@link #ended}) or given back. */
    boolean tryAcquire() {
        return breaker.tryAcquirePermission();
    }

    /** An attempt that was let through did not go after all. */
    void giveBack() {
        breaker.releasePermission();
    }

    void ended(boolean connectionFailure) {
        if (connectionFailure) {
            breaker.onError(0, TimeUnit.NANOSECONDS, new IllegalStateException("connection failure"));
        } else {
            breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        }
    }

    /** When a request refused now should come back: when the circuit half-opens, or soon if a trial is under way. */
    Instant retryAt() {
        Instant now = clock.instant();
        // resilience4j half-opens strictly after the wait, counted from a moment just before our openedAt
        Instant halfOpen = openedAt.plus(openFor).plusMillis(10);
        Duration soon = openFor.dividedBy(4).compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100)
                : openFor.dividedBy(4);
        return halfOpen.isAfter(now) ? halfOpen : now.plus(soon);
    }

    /** CLOSED, OPEN or HALF_OPEN. */
    CircuitBreaker.State state() {
        return breaker.getState();
    }

    Instant openedAt() {
        return openedAt;
    }

    Duration openFor() {
        return openFor;
    }
}
