package io.mailbus.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * At most {@code limit} messages in any window of {@code window}: the times of the last {@code limit} admissions are
 * kept, and one more is admitted only when the oldest of them has left the window. A token bucket that holds
 * {@code limit} tokens would let up to twice the limit through within one sliding window (a full bucket spent just
 * before a refill); a server that counts "30 a minute per mailbox" (Exchange Online) refuses the excess, so this
 * keeps the limit for every window, at the price of the last {@code limit} times in memory.
 *
 * <p>Our clock starts when a message is admitted, the server's when it arrives: a message held up between the two
 * (a connection to open) could make two windows overlap at the server. A guard of a tenth of the window, at most
 * one second, is added for that.
 */
final class SendingRate {

    private final int limit;
    private final Duration window;
    private final ArrayDeque<Instant> admitted;

    SendingRate(int limit, Duration window) {
        if (limit < 1) {
            throw new IllegalArgumentException("a rate must allow at least one message");
        }
        this.limit = limit;
        Duration guard = window.dividedBy(10);
        this.window = window.plus(guard.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : guard);
        this.admitted = new ArrayDeque<>(limit);
    }

    /** Whether one more message may go at {@code now}; nothing counted. */
    synchronized boolean allows(Instant now) {
        return admitted.size() < limit || !now.isBefore(admitted.peekFirst().plus(window));
    }

    /** Counts a message that went at {@code now} (after {@link #allows}). */
    synchronized void count(Instant now) {
        if (admitted.size() >= limit) {
            admitted.pollFirst();
        }
        admitted.addLast(now);
    }

    /**
     * When the message with {@code waiting} others already told to wait ahead of it may go, if not now; nothing
     * counted. Handing each waiting message its own slot spreads them over the coming windows, instead of all of
     * them coming back at the next free slot and all but one waiting again.
     */
    synchronized Optional<Instant> nextFree(Instant now, int waiting) {
        if (admitted.size() < limit) {
            return Optional.empty();
        }
        Instant[] times = admitted.toArray(new Instant[0]);
        int k = Math.max(0, waiting);
        Instant free = times[k % limit].plus(window.multipliedBy(1 + k / limit));
        return now.isBefore(free) ? Optional.of(free) : Optional.empty();
    }

    int limit() {
        return limit;
    }

    Duration window() {
        return window;
    }
}
