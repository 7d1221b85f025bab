package io.mailbus.outcome;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.mailbus.MailbusHeaders;
import io.mailbus.outcome.OutcomeQueues.Queue;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestJson;
import io.mailbus.request.Spool;
import io.mailbus.smtppool.DeliveryResult;
import io.mailbus.smtppool.RecipientFailure;
import io.mailbus.smtppool.SmtpDeliveryException;
import io.mailbus.smtppool.SmtpPoolConstants;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what became of an attempt: the last step of the delivery flow ({@link #delivered}) and the one handler of
 * the {@code outcomes} route configuration ({@link #failed}). A failure is classified once, by
 * {@link FailureClassifier}; this class carries the verdict out: the copies on the outcome queues
 * ({@link OutcomeMessages} says what they carry), the next attempt ({@link RetryScheduler}), the status event
 * ({@link StatusEvents}) and the delivered-id mark ({@link DeliveredIds}).
 *
 * <p>Recipients are settled one by one: in one attempt the server may accept some, refuse some for good (5xx, a copy
 * for those on {@code email.rejected}) and defer others (4xx, retried alone on their class's schedule, and on
 * {@code email.dlq} when it is used up). Every accepted request ends delivered, or in the queue that says why.
 */
public class Outcomes {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.outcome");

    private final RetryScheduler retries;
    private final DeliveredIds deliveredIds;
    private final StatusEvents events;
    private final OutcomeQueues queues;
    private final Clock clock;
    private AttemptObserver observer = AttemptObserver.NONE;

    public Outcomes(RetryPolicy retryPolicy, DeliveredIds deliveredIds, EventPublisher events, OutcomeQueues queues,
                    Clock clock) {
        this.retries = new RetryScheduler(retryPolicy, queues);
        this.deliveredIds = deliveredIds;
        this.events = new StatusEvents(events);
        this.queues = queues;
        this.clock = clock;
    }

    /** Who hears how each attempt at a server ended (the servers' circuits). */
    public void setObserver(AttemptObserver observer) {
        this.observer = observer == null ? AttemptObserver.NONE : observer;
    }

    /** The server took the message for some or all recipients: delivered or partial, the rest settled per recipient. */
    public void delivered(Exchange exchange) {
        observer.ended(exchange, false);
        DeliveryResult result = exchange.getMessage().getHeader(SmtpPoolConstants.DELIVERY_RESULT, DeliveryResult.class);
        Attempt a = new Attempt(exchange);
        deliveredIds.markWhenCommitted(exchange, a.request);
        List<RecipientOutcome> recipients = new ArrayList<>();
        result.acceptedRecipients().forEach(r -> recipients.add(RecipientOutcome.accepted(r)));
        result.recipientFailures().forEach(f -> recipients.add(RecipientOutcome.of(f)));
        recipients.addAll(SuppressedRecipients.of(exchange));
        boolean partial = !result.recipientFailures().isEmpty();
        events.publish(a.event(partial ? "partial" : "delivered").recipients(recipients)
                .reply(result.smtpCode(), result.enhancedCode(), result.smtpError()));
        settleRecipients(a, result.recipientFailures(), recipients, false);
    }

    /**
     * Any failure of an attempt: classified once, then sent where the verdict says. A failure to write an outcome
     * (an outcome queue unreachable) is thrown on, unhandled: the consume rolls back (JMS) or the record is not
     * committed (Kafka), and the request is tried again rather than recorded nowhere.
     */
    public void failed(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Verdict verdict = FailureClassifier.classify(error);
        observer.ended(exchange, FailureClassifier.isConnectionFailure(verdict));
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof OutcomeQueues.OutcomeNotRecordedException notRecorded) {
                throw notRecorded;
            }
            if (c instanceof Spool.SpoolFailedException spoolFailed) {
                // a large request could not be put on disk (a full disk): nothing is known about it, the broker keeps it
                throw spoolFailed;
            }
        }
        Attempt a = new Attempt(exchange);
        if (verdict.kind() == Verdict.Kind.INVALID) {
            invalid(a, verdict);
            return;
        }
        if (verdict.kind() == Verdict.Kind.DEFERRED) {
            defer(a, FailureClassifier.deferral(error), recipientsOf(exchange, null));
            return;
        }
        Reply reply = verdict.smtp() != null ? Reply.of(verdict.smtp()) : Reply.of(error);
        a.attempt.record(reply.code(), reply.enhancedCode(), reply.text(), clock.instant());
        List<RecipientOutcome> recipients = recipientsOf(exchange, verdict.smtp());
        List<String> owed = a.attempt.retryRecipients();
        switch (verdict.kind()) {
            case REJECTED -> {
                LOG.warn("request {} rejected: {}", a.id, verdict.smtp().getMessage());
                queues.send(Queue.REJECTED, a.body(), OutcomeMessages.rejected(a.attempt, a.id, reply, recipients, owed));
                events.publish(a.event("rejected").recipients(recipients).reply(reply));
            }
            case RETRY -> {
                List<RecipientFailure> perRecipient = verdict.smtp().getRecipientFailures();
                if (perRecipient.isEmpty()) {
                    retryOrGiveUp(a, verdict.retryClass(), owed, reply, recipients);
                } else {
                    settleRecipients(a, perRecipient, recipients, true);
                }
            }
            case CONFIGURATION -> {
                LOG.error("request {} not sent: the SMTP set-up is wrong ({}); kept on the dead-letter queue to replay",
                        a.id, reply.text());
                deadLetter(a, "configuration", reply, null, recipients, owed);
            }
            default -> {
                LOG.error("request {} failed unexpectedly: {}", a.id, error, error);
                deadLetter(a, "internal", reply, verdict.smtp() == null ? error : null, recipients, owed);
            }
        }
    }

    /**
     * 5xx recipients get a copy on email.rejected; 4xx ones are retried alone, on the class of the first of them.
     *
     * @param nobodyGotIt every recipient was refused: the attempt's own event is the retry's, so say the rejection too
     */
    private void settleRecipients(Attempt a, List<RecipientFailure> failures, List<RecipientOutcome> recipients,
                                  boolean nobodyGotIt) {
        List<RecipientFailure> refused = failures.stream().filter(f -> !f.isTransient()).toList();
        List<RecipientFailure> deferred = failures.stream().filter(RecipientFailure::isTransient).toList();
        if (!refused.isEmpty()) {
            Reply reply = Reply.of(refused.get(0));
            if (nobodyGotIt) {
                events.publish(a.event("rejected").recipients(recipients).reply(reply));
            }
            queues.send(Queue.REJECTED, a.body(), OutcomeMessages.rejected(a.attempt, a.id, reply, recipients,
                    addresses(refused)));
        }
        if (!deferred.isEmpty()) {
            Reply reply = Reply.of(deferred.get(0));
            if (!nobodyGotIt) {
                a.attempt.record(reply.code(), reply.enhancedCode(), reply.text(), clock.instant());
            }
            RetryClass retryClass = FailureClassifier.retryClassOf(reply.code(), reply.enhancedCode(), reply.text(),
                    reply.command());
            retryOrGiveUp(a, retryClass, addresses(deferred), reply, recipients);
        }
    }

    private void retryOrGiveUp(Attempt a, RetryClass retryClass, List<String> owed, Reply reply,
                               List<RecipientOutcome> recipients) {
        Instant now = clock.instant();
        Optional<Instant> next = retries.schedule(a.attempt, a.id, a.body(), retryClass, owed, now);
        if (next.isPresent()) {
            LOG.info("request {} deferred after attempt {} ({} {}): next attempt at {}", a.id, a.attempt.number(),
                    reply.code(), reply.text(), next.get());
            // stamped with the time the wait counts from, so nextAttemptAt - timestamp is the wait itself
            events.publish(a.event("deferred").recipients(recipients).reply(reply).retry(retryClass, next.get())
                    .at(now));
            return;
        }
        LOG.warn("request {} given up after {} attempts ({} retries used up or older than the maximum age): {}", a.id,
                a.attempt.number(), retryClass.key(), reply.text());
        deadLetter(a, "exhausted", reply, null, recipients, owed);
    }

    /**
     * The server could not take the request now (its rate, its open circuit): the same attempt goes back to the
     * broker until then. Nothing was sent, so nothing is recorded in the history and no retry is spent.
     */
    private void defer(Attempt a, ServerDeferredException d, List<RecipientOutcome> recipients) {
        Instant now = clock.instant();
        Instant until = d.until().isAfter(now) ? d.until() : now;
        retries.defer(a.attempt, a.id, a.body(), until, now);
        LOG.debug("request {} waits for SMTP server {} ({}) until {}; attempt {} not counted", a.id, d.server(),
                  d.reason(), until, a.attempt.number());
        events.publish(a.event("deferred").reason(d.reason()).recipients(recipients).nextAttemptAt(until).at(now));
    }

    private void deadLetter(Attempt a, String reason, Reply reply, Throwable error, List<RecipientOutcome> recipients,
                            List<String> owed) {
        queues.send(Queue.DLQ, a.body(), OutcomeMessages.deadLettered(a.attempt, a.id, reason, reply, error, recipients,
                owed));
        events.publish(a.event("failed").reason(reason).recipients(recipients).reply(reply));
    }

    private void invalid(Attempt a, Verdict verdict) {
        InvalidSendRequestException e = verdict.invalid();
        String id = a.id != null ? a.id : e.getRequestId();
        queues.send(Queue.INVALID, a.originalPayload(), OutcomeMessages.invalid(a.attempt, id, e.getErrors()));
        LOG.warn("invalid request {} from {}: {}", id, a.attempt.ingress(), e.getMessage());
        events.publish(new StatusEvents.Builder("invalid", id, a.attempt.ingress(), a.attempt.number())
                .tenant(a.attempt.tenant())
                .accepted(a.attempt.acceptedAt()).errors(e.getErrors()));
    }

    /** Every recipient of this attempt, pending unless the failure said something about it. */
    private static List<RecipientOutcome> recipientsOf(Exchange exchange, SmtpDeliveryException e) {
        Map<String, RecipientOutcome> byAddress = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<String> envelope = exchange.getMessage().getHeader(SmtpPoolConstants.ENVELOPE_TO, List.class);
        if (envelope != null) {
            envelope.forEach(r -> byAddress.put(r.toLowerCase(Locale.ROOT), RecipientOutcome.pending(r)));
        }
        if (e != null) {
            for (RecipientFailure f : e.getRecipientFailures()) {
                byAddress.put(f.address().toLowerCase(Locale.ROOT), RecipientOutcome.of(f));
            }
        }
        return new ArrayList<>(byAddress.values());
    }

    private static List<String> addresses(List<RecipientFailure> failures) {
        return failures.stream().map(RecipientFailure::address).toList();
    }

    /** What the exchange knows about the request and its attempt. */
    private static final class Attempt {
        final Exchange exchange;
        final SendRequest request;
        final DeliveryAttempt attempt;
        final String id;

        Attempt(Exchange exchange) {
            this.exchange = exchange;
            this.request = exchange.getProperty(MailbusHeaders.REQUEST_PROPERTY, SendRequest.class);
            this.attempt = DeliveryAttempt.of(exchange);
            this.id = request != null ? request.getId() : null;
        }

        StatusEvents.Builder event(String name) {
            String messageId = exchange.getMessage().getHeader(MailbusHeaders.MESSAGE_ID, String.class);
            return StatusEvents.about(name, id, request, attempt).messageId(messageId);
        }

        /**
         * The request as the queues carry it: normalised JSON once validated, else the payload as it came; a large
         * request's is a file, streamed to the broker.
         */
        Object body() {
            return request != null ? SendRequestJson.body(request) : originalPayload();
        }

        Object originalPayload() {
            Object payload = exchange.getProperty(MailbusHeaders.ORIGINAL_PAYLOAD_PROPERTY);
            return payload instanceof java.io.File ? payload
                    : exchange.getProperty(MailbusHeaders.ORIGINAL_PAYLOAD_PROPERTY, String.class);
        }
    }
}
