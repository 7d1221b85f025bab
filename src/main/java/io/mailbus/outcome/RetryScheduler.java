package io.mailbus.outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mailbus.MailbusHeaders;
import io.mailbus.outcome.OutcomeQueues.Queue;

/**
 * Schedules the next attempt through the broker: the request goes to the retry queue with Artemis's scheduled
 * delivery ({@code _AMQ_SCHED_DELIVERY}) and the attempt state it will begin with. No thread waits, and a restart
 * loses nothing. How long to wait, and when to give up, is {@link RetryPolicy}'s.
 */
final class RetryScheduler {

    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";

    private final RetryPolicy policy;
    private final OutcomeQueues queues;

    RetryScheduler(RetryPolicy policy, OutcomeQueues queues) {
        this.policy = policy;
        this.queues = queues;
    }

    /**
     * @param owed the recipients the next attempt is for; null for all of the request's
     * @param now  when the attempt failed: the wait counts from here
     * @return when the next attempt is, or empty when the request is given up (nothing sent)
     */
    Optional<Instant> schedule(DeliveryAttempt attempt, String id, Object body, RetryClass retryClass,
                               List<String> owed, Instant now) {
        Optional<Duration> delay = policy.delayAfter(retryClass, attempt.retriesOf(retryClass), attempt.age(now));
        if (delay.isEmpty()) {
            return Optional.empty();
        }
        Instant next = now.plus(delay.get());
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(MailbusHeaders.REQUEST_ID, id);
        headers.put(SCHEDULED_DELIVERY, next.toEpochMilli());
        attempt.writeNext(headers, retryClass, owed);
        queues.send(Queue.RETRY, body, headers);
        return Optional.of(next);
    }

    /**
     * The same attempt again at {@code until}, because its server could not take it now: no retry is spent, and the
     * wait is not counted against the maximum age ({@link DeliveryAttempt#writeSame}).
     */
    void defer(DeliveryAttempt attempt, String id, Object body, Instant until, Instant now) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(MailbusHeaders.REQUEST_ID, id);
        headers.put(SCHEDULED_DELIVERY, until.toEpochMilli());
        attempt.writeSame(headers, Duration.between(now, until));
        queues.send(Queue.RETRY, body, headers);
    }
}
