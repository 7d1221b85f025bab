package io.mailbus.outcome;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.util.TimeUtils;

/**
 * The redelivery schedule per {@link RetryClass}, and the age after which a request is given up whatever its class.
 * The n-th retry of a class waits the n-th delay of that class's schedule, counted per class: three connection
 * failures then a greylisting reply start the throttled schedule at its first delay. A schedule is a list such as
 * {@code 1s,5s,30s,5m,15m,30m,1h*20} ({@code d*n} repeats a delay n times); a class with no n-th delay, or a retry
 * that would start after {@code maxAge} from the first attempt, is given up.
 */
public final class RetryPolicy {

    private final Map<RetryClass, List<Duration>> delays = new EnumMap<>(RetryClass.class);
    private final Duration maxAge;

    public RetryPolicy(String connection, String transientDelays, String throttled, Duration maxAge) {
        delays.put(RetryClass.CONNECTION, parse(connection));
        delays.put(RetryClass.TRANSIENT, parse(transientDelays));
        delays.put(RetryClass.THROTTLED, parse(throttled));
        this.maxAge = maxAge;
    }

    /**
     * The wait before the next attempt, or empty when the request is given up.
     *
     * @param retriesSoFar how many retries of this class the request has had already
     * @param age          how long ago its first attempt was
     */
    public Optional<Duration> delayAfter(RetryClass retryClass, int retriesSoFar, Duration age) {
        List<Duration> schedule = delays.get(retryClass);
        if (retriesSoFar < 0 || retriesSoFar >= schedule.size()) {
            return Optional.empty();
        }
        Duration delay = schedule.get(retriesSoFar);
        return age.plus(delay).compareTo(maxAge) > 0 ? Optional.empty() : Optional.of(delay);
    }

    /** How long a request waits in all when every retry is of this class and the maximum age does not cut it short. */
    Duration total(RetryClass retryClass) {
        return delays.get(retryClass).stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** A schedule such as {@code 1s,5s,30s,1h*20} as its list of waits; also the webhook retry schedule's syntax. */
    public static List<Duration> parse(String spec) {
        List<Duration> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int star = p.indexOf('*');
            int times = 1;
            if (star > 0) {
                times = Integer.parseInt(p.substring(star + 1).trim());
                p = p.substring(0, star).trim();
                if (times < 1 || times > 10_000) {
                    throw new IllegalArgumentException("retry schedule: repeat count out of range in '" + part + "'");
                }
            }
            out.addAll(Collections.nCopies(times, Duration.ofMillis(TimeUtils.toMilliSeconds(p))));
        }
        return List.copyOf(out);
    }
}
