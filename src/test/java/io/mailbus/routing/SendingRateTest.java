package io.mailbus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The sliding-window limit: never more than the limit in any window, and each waiting message its own slot. */
class SendingRateTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldNeverAdmitMoreThanTheLimitInAnyWindowOfTheGuardedLength() {
        SendingRate rate = new SendingRate(30, Duration.ofMinutes(1)); // window 61 s with its guard
        List<Instant> admitted = new ArrayList<>();
        for (long ms = 0; ms < 300_000; ms += 250) { // a request every 250 ms for five minutes
            Instant now = T0.plusMillis(ms);
            if (rate.allows(now)) {
                rate.count(now);
                admitted.add(now);
            }
        }
        for (Instant start : admitted) {
            long inWindow = admitted.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusSeconds(61)))
                    .count();
            assertThat(inWindow).as("admitted in the 61 s from %s", start).isLessThanOrEqualTo(30);
        }
        assertThat(admitted).hasSize(150); // 30 at once, then 30 per 61 s: 0, 61, 122, 183, 244 s
    }

    @Test
    void shouldGiveEachWaitingMessageItsOwnSlot() {
        SendingRate rate = new SendingRate(2, Duration.ofSeconds(10)); // window 11 s
        rate.count(T0);
        rate.count(T0.plusSeconds(1));
        Instant now = T0.plusSeconds(2);

        assertThat(rate.allows(now)).isFalse();
        assertThat(rate.nextFree(now, 0)).contains(T0.plusSeconds(11));
        assertThat(rate.nextFree(now, 1)).contains(T0.plusSeconds(12));
        assertThat(rate.nextFree(now, 2)).contains(T0.plusSeconds(22));
        assertThat(rate.nextFree(now, 3)).contains(T0.plusSeconds(23));
        assertThat(rate.allows(T0.plusSeconds(11))).isTrue();
    }

    @Test
    void shouldGuardATenthOfTheWindowAndAtMostOneSecond() {
        assertThat(new SendingRate(5, Duration.ofSeconds(1)).window()).isEqualTo(Duration.ofMillis(1100));
        assertThat(new SendingRate(30, Duration.ofMinutes(1)).window()).isEqualTo(Duration.ofSeconds(61));
    }
}
