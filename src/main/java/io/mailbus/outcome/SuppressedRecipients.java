package io.mailbus.outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.mailbus.MailbusHeaders;
import io.mailbus.request.Mailbox;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestJson;
import io.mailbus.suppression.SuppressionList;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before an attempt is rendered: recipients on the tenant's suppression list are left out of the envelope (the
 * message's headers still name them) and reported {@code suppressed}; a copy of the request for them goes to
 * {@code email.rejected} ({@code MailbusOutcome=suppressed}, {@code MailbusOwedRecipients} naming them), so nothing
 * accepted vanishes. When nobody is left, the request ends there with a {@code suppressed} event and no SMTP
 * session. A suppression list that cannot be read does not stop mail: the attempt goes to every recipient, with a
 * warning.
 */
public class SuppressedRecipients {

    static final String PROPERTY = "mailbusSuppressed";
    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.outcome");

    private final SuppressionList list;
    private final StatusEvents events;
    private final OutcomeQueues queues;

    public SuppressedRecipients(SuppressionList list, EventPublisher events, OutcomeQueues queues) {
        this.list = list;
        this.events = new StatusEvents(events);
        this.queues = queues;
    }

    public void exclude(Exchange exchange) {
        SendRequest request = exchange.getProperty(MailbusHeaders.REQUEST_PROPERTY, SendRequest.class);
        if (request == null) {
            return;
        }
        List<?> owed = exchange.getProperty(MailbusHeaders.ENVELOPE_RECIPIENTS_PROPERTY, List.class);
        List<String> candidates = new ArrayList<>();
        if (owed != null) {
            owed.forEach(a -> candidates.add(String.valueOf(a)));
        } else {
            for (List<String> l : List.of(request.getTo(), request.getCc(), request.getBcc())) {
                l.forEach(m -> candidates.add(Mailbox.parse(m).address()));
            }
        }
        Set<String> hit;
        try {
            // the attempt's tenant: from the API key or the tenants file, never from a header a producer sent
            hit = list.suppressed(SuppressionList.scopeOf(DeliveryAttempt.of(exchange).tenant()), candidates);
        } catch (RuntimeException e) {
            LOG.warn("request {}: suppression list not read, sending to every recipient: {}", request.getId(),
                    String.valueOf(e.getCause()));
            return;
        }
        if (hit.isEmpty()) {
            return;
        }
        List<String> suppressed = new ArrayList<>();
        List<String> remaining = new ArrayList<>();
        for (String a : candidates) {
            (hit.contains(a.toLowerCase(Locale.ROOT)) ? suppressed : remaining).add(a);
        }
        exchange.setProperty(PROPERTY, suppressed);
        DeliveryAttempt attempt = DeliveryAttempt.of(exchange);
        List<RecipientOutcome> outcomes = suppressed.stream().map(RecipientOutcome::suppressed).toList();
        queues.send(OutcomeQueues.Queue.REJECTED, SendRequestJson.body(request),
                OutcomeMessages.suppressed(attempt, request.getId(), outcomes, suppressed));
        if (remaining.isEmpty()) {
            LOG.info("request {}: every recipient is suppressed, nothing sent", request.getId());
            events.publish(StatusEvents.about("suppressed", request.getId(), request, attempt).recipients(outcomes));
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(MailbusHeaders.ENVELOPE_RECIPIENTS_PROPERTY, remaining);
    }

    /** The suppressed recipients of this attempt, reported with its outcome. */
    static List<RecipientOutcome> of(Exchange exchange) {
        List<?> suppressed = exchange.getProperty(PROPERTY, List.class);
        return suppressed == null ? List.of()
                : suppressed.stream().map(a -> RecipientOutcome.suppressed(String.valueOf(a))).toList();
    }
}
