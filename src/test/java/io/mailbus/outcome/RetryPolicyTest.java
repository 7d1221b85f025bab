package io.mailbus.outcome;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins the schedule: the n-th retry of a class waits the n-th delay of that class, counted per class (three
 * connection failures do not use up the throttled schedule); a class with no delay left, or a retry that would start
 * after the maximum age, gives up; {@code d*n} repeats a delay.
 */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy("1s,5s,30s", "2s,10s", "1m,5m,15m", Duration.ofHours(24));

    @ParameterizedTest(name = "{0} after {1} retries of its class -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "CONNECTION | 0 | PT1S",
        "CONNECTION | 2 | PT30S",
        "CONNECTION | 3 | null",
        "TRANSIENT  | 1 | PT10S",
        "TRANSIENT  | 2 | null",
        "THROTTLED  | 0 | PT1M",
        "THROTTLED  | 2 | PT15M",
    })
    void shouldWaitTheClassesNthDelayThenGiveUp(RetryClass retryClass, int retriesSoFar, String expected) {
        Optional<Duration> delay = policy.delayAfter(retryClass, retriesSoFar, Duration.ZERO);
        if (expected == null) {
            assertThat(delay).isEmpty();
        } else {
            assertThat(delay).contains(Duration.parse(expected));
        }
    }

    @Test
    void shouldGiveUpWhenTheNextAttemptWouldStartAfterTheMaximumAge() {
        assertThat(policy.delayAfter(RetryClass.THROTTLED, 2, Duration.ofHours(23).plusMinutes(45))).contains(
                Duration.ofMinutes(15));
        assertThat(policy.delayAfter(RetryClass.THROTTLED, 2, Duration.ofHours(23).plusMinutes(46))).isEmpty();
    }

    @Test
    void shouldRepeatADelayGivenWithACount() {
        assertThat(RetryPolicy.parse("1s, 1h*3 ,2h")).containsExactly(Duration.ofSeconds(1), Duration.ofHours(1),
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(2));
        assertThatThrownBy(() -> RetryPolicy.parse("1h*0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepTryingAtLeastADayByDefault() throws Exception {
        java.util.Properties settings = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("config/application.properties"))) {
            settings.load(in);
        }
        Duration maxAge = Duration.ofMillis(org.apache.camel.util.TimeUtils.toMilliSeconds(
                settings.getProperty("mailbus.retry.max-age")));
        RetryPolicy defaults = new RetryPolicy(settings.getProperty("mailbus.retry.connection"),
                settings.getProperty("mailbus.retry.transient"), settings.getProperty("mailbus.retry.throttled"), maxAge);
        assertThat(maxAge).isGreaterThanOrEqualTo(Duration.ofHours(24));
        for (RetryClass c : RetryClass.values()) {
            assertThat(defaults.total(c)).as(c.key()).isGreaterThanOrEqualTo(Duration.ofHours(24));
            // the quick retries are kept: an outage of a few seconds costs seconds, not minutes
            assertThat(defaults.delayAfter(c, 0, Duration.ZERO).orElseThrow()).isLessThanOrEqualTo(Duration.ofMinutes(1));
        }
    }
}
