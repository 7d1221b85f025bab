package io.mailbus.outcome;

import java.time.Clock;
import java.time.Duration;
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
 * ({@link OutcomeMessages} says what they carry), the scheduled retry, the status event and the delivered-id mark.
 *
 * <p>Recipients are settled one by one: in one attempt the server may accept some, refuse some for good (5xx, a copy
 * for those on {@code email.rejected}) and defer others (4xx, retried alone on their class's schedule, and on
 * {@code email.dlq} when it is used up). Every accepted request ends delivered, or in the queue that says why.
 *
 * <p>Transient failures are not retried in memory: the request goes back to the broker with Artemis's scheduled
 * delivery, so a long wait holds no consumer thread and survives a restart of the application.
 */
public class Outcomes {

    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.outcome");

    private final RetryPolicy retryPolicy;
    private final DeliveredIds deliveredIds;
    private final StatusEvents events;
    private final OutcomeQueues queues;
    private final Clock clock;

    public Outcomes(RetryPolicy retryPolicy, DeliveredIds deliveredIds, EventPublisher events, OutcomeQueues queues,
                    Clock clock) {
        this.retryPolicy = retryPolicy;
        this.deliveredIds = deliveredIds;
        this.events = new StatusEvents(events);
        this.queues = queues;
        this.clock = clock;
    }

    /** The server took the message for some or all recipients: delivered or partial, the rest settled per recipient. */
    public void delivered(Exchange exchange) {
        DeliveryResult result = exchange.getMessage().getHeader(SmtpPoolConstants.DELIVERY_RESULT, DeliveryResult.class);
        Attempt a = new Attempt(exchange);
        deliveredIds.markWhenCommitted(exchange, a.id);
        List<RecipientOutcome> recipients = new ArrayList<>();
        result.acceptedRecipients().forEach(r -> recipients.add(RecipientOutcome.accepted(r)));
        result.recipientFailures().forEach(f -> recipients.add(RecipientOutcome.of(f)));
        boolean partial = !result.recipientFailures().isEmpty();
        events.publish(a.event(partial ? "partial" : "delivered").recipients(recipients)
                .reply(result.smtpCode(), result.enhancedCode(), result.smtpError()));
        settleRecipients(exchange, a, result.recipientFailures(), recipients, null);
    }

    /**
     * Any failure of an attempt: classified once, then sent where the verdict says. A failure to write an outcome
     * (an outcome queue unreachable) is thrown on, unhandled: the consume rolls back (JMS) or the record is not
     * committed (Kafka), and the request is tried again rather than recorded nowhere.
     */
    public void failed(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof OutcomeQueues.OutcomeNotRecordedException notRecorded) {
                throw notRecorded;
            }
        }
        Verdict verdict = FailureClassifier.classify(error);
        Attempt a = new Attempt(exchange);
        switch (verdict.kind()) {
            case INVALID -> invalid(exchange, a, verdict);
            case REJECTED -> {
                a.attempt.record(verdict.code(), verdict.enhancedCode(), verdict.text(), clock.instant());
                List<RecipientOutcome> recipients = recipientsOf(exchange, verdict.smtp());
                reject(exchange, a, verdict.smtp(), recipients, a.attempt.retryRecipients());
                events.publish(a.event("rejected").recipients(recipients)
                        .reply(verdict.code(), verdict.enhancedCode(), verdict.text()));
            }
            case RETRY -> {
                a.attempt.record(verdict.code(), verdict.enhancedCode(), verdict.text(), clock.instant());
                List<RecipientOutcome> recipients = recipientsOf(exchange, verdict.smtp());
                List<RecipientFailure> perRecipient = verdict.smtp().getRecipientFailures();
                if (perRecipient.isEmpty()) {
                    retryOrGiveUp(exchange, a, verdict.retryClass(), a.attempt.retryRecipients(), verdict, recipients);
                } else {
                    settleRecipients(exchange, a, perRecipient, recipients, verdict);
                }
            }
            case CONFIGURATION, INTERNAL -> deadLetter(exchange, a, verdict,
                    verdict.kind() == Verdict.Kind.CONFIGURATION ? "configuration" : "internal",
                    recipientsOf(exchange, verdict.smtp()), a.attempt.retryRecipients());
        }
    }

    /** 5xx recipients get a copy on email.rejected; 4xx ones are retried alone, on the class of the first of them. */
    private void settleRecipients(Exchange exchange, Attempt a, List<RecipientFailure> failures,
                                  List<RecipientOutcome> recipients, Verdict verdict) {
        List<RecipientFailure> refused = failures.stream().filter(f -> !f.isTransient()).toList();
        List<RecipientFailure> deferred = failures.stream().filter(RecipientFailure::isTransient).toList();
        if (!refused.isEmpty()) {
            RecipientFailure first = refused.get(0);
            if (verdict != null) {
                // nobody got the message: this attempt's event is about the retry; say the rejection too
                events.publish(a.event("rejected").recipients(recipients).reply(first.code(), first.enhancedCode(),
                        first.text()));
            }
            queues.send(Queue.REJECTED, a.body(), OutcomeMessages.rejected(a.attempt, a.id, first.code(),
                    first.enhancedCode(), first.text(), "RCPT TO", recipients, addresses(refused)));
        }
        if (!deferred.isEmpty()) {
            RecipientFailure first = deferred.get(0);
            if (verdict == null) {
                a.attempt.record(first.code(), first.enhancedCode(), first.text(), clock.instant());
            }
            RetryClass retryClass = FailureClassifier.retryClassOf(first.code(), first.enhancedCode(), first.text(),
                    "RCPT TO");
            retryOrGiveUp(exchange, a, retryClass, addresses(deferred), verdict, recipients);
        }
    }

    private void retryOrGiveUp(Exchange exchange, Attempt a, RetryClass retryClass, List<String> owed, Verdict verdict,
                               List<RecipientOutcome> recipients) {
        Instant now = clock.instant();
        int code = verdict != null ? verdict.code() : firstDeferredCode(recipients);
        String enhanced = verdict != null ? verdict.enhancedCode() : firstDeferred(recipients, RecipientOutcome::enhancedCode);
        String text = verdict != null ? verdict.text() : firstDeferred(recipients, RecipientOutcome::text);
        boolean possiblyDelivered = verdict != null && verdict.smtp() != null && possiblyDelivered(verdict.smtp());
        Optional<Duration> delay = retryPolicy.delayAfter(retryClass, a.attempt.retriesOf(retryClass), a.attempt.age(now));
        if (delay.isEmpty()) {
            LOG.warn("request {} given up after {} attempts ({} retries used up or older than the maximum age): {} {}",
                    a.id, a.attempt.number(), retryClass.key(), code, text);
            queues.send(Queue.DLQ, a.body(), OutcomeMessages.deadLettered(a.attempt, a.id, "exhausted", code, enhanced,
                    text, verdict == null ? "RCPT TO" : commandOf(verdict), null, recipients, owed));
            events.publish(a.event("failed").reason("exhausted").recipients(recipients).reply(code, enhanced, text)
                    .possiblyDelivered(possiblyDelivered));
            return;
        }
        Instant next = now.plus(delay.get());
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(MailbusHeaders.REQUEST_ID, a.id);
        headers.put(SCHEDULED_DELIVERY, next.toEpochMilli());
        a.attempt.writeNext(headers, retryClass, owed);
        queues.send(Queue.RETRY, a.body(), headers);
        LOG.info("request {} deferred after attempt {} ({} {}): next attempt at {}", a.id, a.attempt.number(), code, text,
                next);
        events.publish(a.event("deferred").recipients(recipients).reply(code, enhanced, text).retry(retryClass, next)
                .possiblyDelivered(possiblyDelivered));
    }

    private void invalid(Exchange exchange, Attempt a, Verdict verdict) {
        InvalidSendRequestException e = findInvalid(verdict.error());
        String id = a.id != null ? a.id : e.getRequestId();
        queues.send(Queue.INVALID, a.originalPayload(), OutcomeMessages.invalid(a.attempt, id, e.getErrors()));
        LOG.warn("invalid request {} from {}: {}", id, a.attempt.ingress(), e.getMessage());
        events.publish(new StatusEvents.Builder("invalid", id, a.attempt.ingress(), a.attempt.number())
                .errors(e.getErrors()));
    }

    private void reject(Exchange exchange, Attempt a, SmtpDeliveryException e, List<RecipientOutcome> recipients,
                        List<String> owed) {
        LOG.warn("request {} rejected: {}", a.id, e.getMessage());
        queues.send(Queue.REJECTED, a.body(), OutcomeMessages.rejected(a.attempt, a.id, e.getReplyCode(),
                e.getEnhancedCode(), textOf(e), e.getCommand(), recipients, owed));
    }

    private void deadLetter(Exchange exchange, Attempt a, Verdict verdict, String reason,
                            List<RecipientOutcome> recipients, List<String> owed) {
        a.attempt.record(verdict.code(), verdict.enhancedCode(), verdict.text(), clock.instant());
        if ("internal".equals(reason)) {
            LOG.error("request {} failed unexpectedly: {}", a.id, verdict.error(), verdict.error());
        } else {
            LOG.error("request {} not sent: the SMTP set-up is wrong ({}); kept on the dead-letter queue to replay",
                    a.id, verdict.text());
        }
        queues.send(Queue.DLQ, a.body(), OutcomeMessages.deadLettered(a.attempt, a.id, reason, verdict.code(),
                verdict.enhancedCode(), verdict.text(), commandOf(verdict), verdict.smtp() == null ? verdict.error() : null,
                recipients, owed));
        events.publish(a.event("failed").reason(reason).recipients(recipients)
                .reply(verdict.code(), verdict.enhancedCode(), verdict.text()));
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

    private static boolean possiblyDelivered(SmtpDeliveryException e) {
        return false;
    }

    private static String commandOf(Verdict v) {
        return v.smtp() == null ? null : v.smtp().getCommand();
    }

    private static String textOf(SmtpDeliveryException e) {
        return e.getServerText() != null ? e.getServerText() : e.getMessage();
    }

    private static int firstDeferredCode(List<RecipientOutcome> recipients) {
        Integer code = firstDeferred(recipients, RecipientOutcome::code);
        return code == null ? 0 : code;
    }

    private static <T> T firstDeferred(List<RecipientOutcome> recipients,
                                       java.util.function.Function<RecipientOutcome, T> field) {
        return recipients.stream().filter(r -> "deferred".equals(r.status())).map(field).findFirst().orElse(null);
    }

    private static List<String> addresses(List<RecipientFailure> failures) {
        return failures.stream().map(RecipientFailure::address).toList();
    }

    private static InvalidSendRequestException findInvalid(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InvalidSendRequestException e) {
                return e;
            }
        }
        throw new IllegalStateException("no InvalidSendRequestException in " + t);
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

        /** The request as the queues carry it: normalised JSON once validated, else the payload as it came. */
        String body() {
            return request != null ? OutcomeMessages.json(request) : originalPayload();
        }

        String originalPayload() {
            return exchange.getProperty(MailbusHeaders.ORIGINAL_PAYLOAD_PROPERTY, String.class);
        }
    }
}
