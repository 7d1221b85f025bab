package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Pins the delivery result a route branches on: accepted, permanently refused (5xx) and deferred (4xx) recipients
 * kept apart, a PARTIAL result with only deferred recipients reported as PARTIAL, and a round trip through a plain
 * {@code new ObjectMapper()} with sentAt as an ISO-8601 string.
 */
class DeliveryResultTest extends ScriptedServerTestSupport {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldReportAPartialDeliveryWithOnlyDeferredRecipientsAsPartial() {
        server.on("RCPT TO:<grey@", "450 4.2.0 <grey@example.com>: Recipient address rejected: Greylisted")
                .on("RCPT TO:<full@", "452 4.2.2 Mailbox full");

        Exchange sent = send(server.uri(""), List.of("ok@example.com", "grey@example.com", "full@example.com"));

        assertThat(sent.getException()).isNull();
        DeliveryResult r = result(sent);
        assertThat(r.status()).isEqualTo(DeliveryStatus.PARTIAL);
        assertThat(r.retryable()).as("resending would duplicate it for ok@").isFalse();
        assertThat(r.acceptedRecipients()).containsExactly("ok@example.com");
        assertThat(r.refusedRecipients()).isEmpty();
        assertThat(r.deferredRecipients()).extracting(RecipientFailure::address, RecipientFailure::code,
                                                      RecipientFailure::enhancedCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("grey@example.com", 450, "4.2.0"),
                                 org.assertj.core.groups.Tuple.tuple("full@example.com", 452, "4.2.2"));
        List<RecipientFailure> header = sent.getMessage().getHeader(SmtpPoolConstants.REFUSED_RECIPIENTS, List.class);
        assertThat(header).allMatch(RecipientFailure::isTransient).hasSize(2);
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void shouldKeepAcceptedRefusedAndDeferredRecipientsApart() {
        server.on("RCPT TO:<bad@", "550 5.1.1 User unknown").on("RCPT TO:<grey@", "451 4.7.1 Try again later");

        Exchange sent = send(server.uri(""), List.of("ok@example.com", "bad@example.com", "grey@example.com"));

        DeliveryResult r = result(sent);
        assertThat(r.status()).isEqualTo(DeliveryStatus.PARTIAL);
        assertThat(r.acceptedRecipients()).containsExactly("ok@example.com");
        assertThat(r.refusedRecipients()).extracting(RecipientFailure::address).containsExactly("bad@example.com");
        assertThat(r.deferredRecipients()).extracting(RecipientFailure::address).containsExactly("grey@example.com");
        List<RecipientFailure> header = sent.getMessage().getHeader(SmtpPoolConstants.REFUSED_RECIPIENTS, List.class);
        assertThat(header).extracting(RecipientFailure::isTransient).containsExactly(false, true);
    }

    @Test
    void shouldListEveryRecipientAsDeferredWhenAllWereRefusedWith4xx() {
        server.on("RCPT TO", "450 4.2.0 Greylisted");

        Exchange failed = send(server.uri(""), List.of("a@example.com", "b@example.com"));

        DeliveryResult r = result(failed);
        assertThat(r.status()).isEqualTo(DeliveryStatus.TEMP_FAILED);
        assertThat(r.retryable()).isTrue();
        assertThat(r.acceptedRecipients()).isEmpty();
        assertThat(r.refusedRecipients()).isEmpty();
        assertThat(r.deferredRecipients()).extracting(RecipientFailure::address)
                .containsExactly("a@example.com", "b@example.com");
    }

    @Test
    void shouldWriteJsonWithAPlainObjectMapperAndReadItBack() throws Exception {
        DeliveryResult r = new DeliveryResult(DeliveryStatus.PARTIAL, "<id@mailbus.test>",
                                              Instant.parse("2026-11-25T15:45:31.123456Z"), List.of("ok@example.com"),
                                              List.of(new RecipientFailure("bad@example.com", 550, "5.1.1",
                                                                           "550 5.1.1 User unknown"),
                                                      new RecipientFailure("grey@example.com", 450, null,
                                                                           "450 Greylisted")),
                                              false, 2, 250, "2.0.0", null);

        String text = json.writeValueAsString(r);
        JsonNode tree = json.readTree(text);

        assertThat(tree.get("sentAt").asText()).isEqualTo("2026-11-25T15:45:31.123456Z");
        assertThat(tree.get("status").asText()).isEqualTo("PARTIAL");
        assertThat(tree.get("refusedRecipients").get(0).get("address").asText()).isEqualTo("bad@example.com");
        assertThat(tree.get("deferredRecipients").get(0).get("address").asText()).isEqualTo("grey@example.com");
        assertThat(tree.get("recipientFailures").get(1).get("transient").asBoolean()).isTrue();
        assertThat(json.readValue(text, DeliveryResult.class)).isEqualTo(r);
    }

    @Test
    void shouldRoundTripTheResultOfARealSendAndOfAFailure() throws Exception {
        server.once("RCPT TO:<bad@", "550 5.1.1 User unknown");
        DeliveryResult partial = result(send(server.uri(""), List.of("ok@example.com", "bad@example.com")));
        server.once("MAIL FROM", "451 4.3.0 Local error");
        DeliveryResult failed = result(send(server.uri(""), List.of("ok@example.com")));

        for (DeliveryResult r : List.of(partial, failed)) {
            assertThat(json.readValue(json.writeValueAsBytes(r), DeliveryResult.class)).isEqualTo(r);
        }
        assertThat(failed.status()).isEqualTo(DeliveryStatus.TEMP_FAILED);
        assertThat(failed.smtpError()).isEqualTo("451 4.3.0 Local error");
    }

    @Test
    void shouldReadJsonWithoutSentAt() throws Exception {
        DeliveryResult r = json.readValue("{\"status\":\"SUCCESS\",\"acceptedRecipients\":[\"a@example.com\"]}",
                                          DeliveryResult.class);

        assertThat(r.sentAt()).isNull();
        assertThat(r.recipientFailures()).isEmpty();
        assertThat(r.deferredRecipients()).isEmpty();
    }
}
