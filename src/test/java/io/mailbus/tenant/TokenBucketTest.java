package io.mailbus.tenant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The token bucket on a clock the test moves: burst first, then the rate, and the wait it names. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void letsTheBurstThroughThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(new RateLimit(2, 3), 0);

        assertThat(bucket.acquire(0)).isZero();
        assertThat(bucket.acquire(0)).isZero();
        assertThat(bucket.acquire(0)).isZero();
        assertThat(bucket.acquire(0)).isEqualTo(1);
        // half a second at 2/s: one token
        assertThat(bucket.acquire(SECOND / 2)).isZero();
        assertThat(bucket.acquire(SECOND / 2)).isEqualTo(1);
        // a long pause fills it to the burst, not beyond
        long later = 100 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.acquire(later)).isZero();
        }
        assertThat(bucket.acquire(later)).isEqualTo(1);
    }

    @Test
    void namesTheWholeSecondsUntilTheNextToken() {
        TokenBucket slow = new TokenBucket(new RateLimit(0.1, 1), 0);

        assertThat(slow.acquire(0)).isZero();
        assertThat(slow.acquire(0)).isEqualTo(10);
        assertThat(slow.acquire(5 * SECOND)).isEqualTo(5);
    }
}
