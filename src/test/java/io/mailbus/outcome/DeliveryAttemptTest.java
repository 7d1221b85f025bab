package io.mailbus.outcome;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mailbus.MailbusHeaders;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the attempt state a scheduled retry carries: it comes back as it was written (a quoted local part with a
 * comma stays one address), per-class counts add up, and a message that is not a retry begins a first attempt
 * whatever it claims.
 */
class DeliveryAttemptTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static Message message(Map<String, Object> headers) {
        Message m = new DefaultMessage(new DefaultCamelContext());
        headers.forEach(m::setHeader);
        return m;
    }

    @Test
    void shouldCarryTheOwedRecipientsAndCountsToTheNextAttempt() {
        DeliveryAttempt first = DeliveryAttempt.read(message(Map.of()), "kafka", NOW);
        Map<String, Object> next = new LinkedHashMap<>();
        first.writeNext(next, RetryClass.THROTTLED, List.of("\"a,b\"@example.com", "c@example.com"));

        DeliveryAttempt second = DeliveryAttempt.read(message(next), "jms", NOW.plusSeconds(60));

        assertThat(second.number()).isEqualTo(2);
        assertThat(second.ingress()).isEqualTo("kafka");
        assertThat(second.retryRecipients()).containsExactly("\"a,b\"@example.com", "c@example.com");
        assertThat(second.retriesOf(RetryClass.THROTTLED)).isEqualTo(1);
        assertThat(second.retriesOf(RetryClass.CONNECTION)).isZero();
        assertThat(second.age(NOW.plusSeconds(60))).hasSeconds(60);
    }

    @Test
    void shouldBeginAFirstAttemptOffAMessageThatIsNotARetry() {
        DeliveryAttempt forged = DeliveryAttempt.first(message(Map.of(MailbusHeaders.ATTEMPT, "7",
                MailbusHeaders.RETRY_RECIPIENTS, "[\"x@example.com\"]", MailbusHeaders.INGRESS, "smtp")), "jms", NOW);

        assertThat(forged.number()).isEqualTo(1);
        assertThat(forged.retryRecipients()).isNull();
        assertThat(forged.ingress()).isEqualTo("jms");
    }

    @Test
    void shouldCarryTheTenantOnTheRetryAndItsOutcomes() {
        DeliveryAttempt first = DeliveryAttempt.first(message(Map.of()), "http", NOW).withTenant("acme");
        Map<String, Object> next = new LinkedHashMap<>();
        first.writeNext(next, RetryClass.TRANSIENT, null);

        Message retry = message(next);
        assertThat(retry.getHeader(MailbusHeaders.TENANT)).isEqualTo("acme");
        assertThat(DeliveryAttempt.claimedTenant(retry)).isEqualTo("acme");
        assertThat(OutcomeMessages.invalid(first, "r1", List.of())).containsEntry(MailbusHeaders.TENANT, "acme");
        assertThat(StatusEvents.about("queued", "r1", null, first).build().tenant()).isEqualTo("acme");
        // tenants off: no tenant anywhere, and none in the event's JSON
        DeliveryAttempt none = DeliveryAttempt.first(message(Map.of()), "jms", NOW);
        assertThat(OutcomeMessages.invalid(none, "r2", List.of())).doesNotContainKey(MailbusHeaders.TENANT);
        assertThat(StatusEvents.about("queued", "r2", null, none).build().toJson()).doesNotContain("tenant");
    }
}
