package io.mailbus.outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.mailbus.request.SendRequest;
import io.mailbus.request.ValidationError;

/**
 * Builds the {@link DeliveryEvent}s of one request and hands them to the {@link EventPublisher}: the only place that
 * knows the event's fields, so every state change of every ingress reads the same.
 */
final class StatusEvents {

    private final EventPublisher publisher;

    StatusEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    void publish(Builder event) {
        publisher.publish(event.build(), event.acceptedAt);
    }

    void attemptStarted(DeliveryAttempt attempt) {
        DeliveryObserver o = publisher.observer();
        try {
            o.attempt(attempt.ingress());
        } catch (RuntimeException ignored) {
            // metrics never fail a delivery
        }
    }

    /** An event about {@code request}, every recipient pending until {@link Builder#recipients} says otherwise. */
    static Builder about(String name, String id, SendRequest request, DeliveryAttempt attempt) {
        Builder b = new Builder(name, id, attempt.ingress(), attempt.number()).tenant(attempt.tenant())
                .accepted(attempt.acceptedAt());
        if (request != null) {
            List<RecipientOutcome> all = new ArrayList<>();
            for (List<String> list : List.of(request.getTo(), request.getCc(), request.getBcc())) {
                list.forEach(a -> all.add(RecipientOutcome.pending(a)));
            }
            b.recipients(all);
        }
        return b;
    }

    /** Assembles a {@link DeliveryEvent}; only here so the many optional fields stay readable. */
    static final class Builder {
        private final String event;
        private final String id;
        private final String ingress;
        private final int attempt;
        private String messageId;
        private List<RecipientOutcome> recipients = List.of();
        private Integer code;
        private String enhanced;
        private String text;
        private String next;
        private String retryClass;
        private String reason;
        private Boolean possiblyDelivered;
        private List<ValidationError> errors = List.of();
        private Instant at;
        private String tenant;
        private Instant acceptedAt;

        Builder(String event, String id, String ingress, int attempt) {
            this.event = event;
            this.id = id;
            this.ingress = ingress;
            this.attempt = attempt;
        }

        Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        Builder messageId(String messageId) {
            this.messageId = messageId;
            return this;
        }

        Builder recipients(List<RecipientOutcome> r) {
            this.recipients = r;
            return this;
        }

        Builder reply(int code, String enhanced, String text) {
            this.code = code;
            this.enhanced = enhanced;
            this.text = text;
            return this;
        }

        /** The decisive reply, and whether the server may already have the message. */
        Builder reply(Reply reply) {
            this.possiblyDelivered = reply.possiblyDelivered() ? Boolean.TRUE : null;
            return reply(reply.code(), reply.enhancedCode(), reply.text());
        }

        Builder retry(RetryClass retryClass, Instant next) {
            this.retryClass = retryClass.key();
            this.next = next.toString();
            return this;
        }

        /**
         * When the next attempt is due, without a retry class: a wait that spends no retry (the server's rate or
         * circuit), or the first attempt of a scheduled send.
         */
        Builder nextAttemptAt(Instant next) {
            this.next = next.toString();
            return this;
        }

        Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        Builder errors(List<ValidationError> errors) {
            this.errors = errors;
            return this;
        }

        /** When the request was accepted: not part of the event, the latency metric counts from it. */
        Builder accepted(Instant acceptedAt) {
            this.acceptedAt = acceptedAt;
            return this;
        }

        /** When the state was reached, if not now. */
        Builder at(Instant at) {
            this.at = at;
            return this;
        }

        DeliveryEvent build() {
            return new DeliveryEvent(event, java.util.UUID.randomUUID().toString(), id, messageId, ingress, tenant, attempt,
                    (at != null ? at : Instant.now()).toString(),
                    next, retryClass,
                    reason, possiblyDelivered, recipients, code, enhanced, text, errors);
        }
    }
}
