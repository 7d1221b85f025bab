package io.mailbus.outcome;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins how a transient reply is classed and how long it waits: 421 and network faults on the connection
 * schedule, 4.7.x and greylisting/rate limiting on the throttled one, every other 4xx on the transient one;
 * attempt n waits the n-th delay of its class and is given up when there is none.
 */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy("1s,5s,30s", "2s,10s", "1m,5m,15m");

    @ParameterizedTest(name = "{0} {1} \"{2}\" -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "421 | 4.4.2 | 421 4.4.2 closing connection                       | CONNECTION",
        "0   | null  | Connection refused                                  | CONNECTION",
        "451 | 4.3.0 | 451 4.3.0 Temporary local problem                   | TRANSIENT",
        "452 | 4.2.2 | 452 4.2.2 Mailbox full                               | TRANSIENT",
        "450 | null  | 450 Requested action not taken                       | TRANSIENT",
        "450 | 4.7.1 | 450 4.7.1 Recipient address rejected: Greylisted    | THROTTLED",
        "421 | 4.7.0 | 421 4.7.0 Too many connections from your IP         | THROTTLED",
        "451 | null  | 451 Greylisting in action, please come back later   | THROTTLED",
        "450 | null  | 450 rate limit exceeded                              | THROTTLED",
    })
    void shouldClassTransientReplies(int code, String enhanced, String text, RetryClass expected) {
        assertThat(RetryClass.of(code, enhanced, text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} after attempt {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "CONNECTION | 1 | PT1S",
        "CONNECTION | 3 | PT30S",
        "CONNECTION | 4 | null",
        "TRANSIENT  | 2 | PT10S",
        "TRANSIENT  | 3 | null",
        "THROTTLED  | 1 | PT1M",
        "THROTTLED  | 3 | PT15M",
    })
    void shouldWaitTheClassesNthDelayThenGiveUp(RetryClass retryClass, int failedAttempt, String expected) {
        Optional<Duration> delay = policy.delayAfter(retryClass, failedAttempt);
        if (expected == null) {
            assertThat(delay).isEmpty();
        } else {
            assertThat(delay).contains(Duration.parse(expected));
        }
    }
}
