package io.mailbus.outcome;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.util.TimeUtils;

/**
 * The redelivery schedule per {@link RetryClass}: attempt n that failed is retried after the n-th delay of its
 * class, and given up when the class has no n-th delay. Delays are strings such as {@code 1s,5s,30s} or
 * {@code 1m,5m,15m} from {@code mailbus.retry.*}.
 */
public final class RetryPolicy {

    private final Map<RetryClass, List<Duration>> delays = new EnumMap<>(RetryClass.class);

    public RetryPolicy(String connection, String transientDelays, String throttled) {
        delays.put(RetryClass.CONNECTION, parse(connection));
        delays.put(RetryClass.TRANSIENT, parse(transientDelays));
        delays.put(RetryClass.THROTTLED, parse(throttled));
    }

    /** The wait before the next attempt after {@code failedAttempt} (1-based) failed, or empty when exhausted. */
    public Optional<Duration> delayAfter(RetryClass retryClass, int failedAttempt) {
        List<Duration> schedule = delays.get(retryClass);
        int index = failedAttempt - 1;
        return index >= 0 && index < schedule.size() ? Optional.of(schedule.get(index)) : Optional.empty();
    }

    static List<Duration> parse(String spec) {
        List<Duration> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(Duration.ofMillis(TimeUtils.toMilliSeconds(p)));
            }
        }
        return List.copyOf(out);
    }
}
