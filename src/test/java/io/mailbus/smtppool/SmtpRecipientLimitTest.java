package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.converter.stream.InputStreamCache;
import org.junit.jupiter.api.Test;

/**
 * Pins RFC 5321 4.5.3.1.10 against a server that takes only so many recipients per transaction, as Postfix does
 * with {@code 452 4.5.3 Error: too many recipients}: the rest get the message in further transactions on the same
 * connection straight away, not deferred to a later retry.
 */
class SmtpRecipientLimitTest extends ScriptedServerTestSupport {

    private static final List<String> FIVE = List.of("r1@example.com", "r2@example.com", "r3@example.com",
                                                     "r4@example.com", "r5@example.com");

    private List<String> rcptCommands() {
        return server.commands().stream().filter(c -> c.startsWith("RCPT")).toList();
    }

    @Test
    void shouldSendTheRecipientsBeyondTheLimitInFurtherTransactionsOnTheSameConnection() {
        server.recipientLimit(2);

        Exchange sent = send(server.uri(""), FIVE);

        assertThat(sent.getException()).isNull();
        DeliveryResult result = result(sent);
        assertThat(result.status()).isEqualTo(DeliveryStatus.SUCCESS);
        assertThat(result.acceptedRecipients()).containsExactlyInAnyOrderElementsOf(FIVE);
        assertThat(result.deferredRecipients()).isEmpty();
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.commands()).filteredOn(c -> c.equals("DATA")).hasSize(3);
        assertThat(server.messages()).hasSize(3).allSatisfy(m -> assertThat(m).isEqualTo(server.messages().get(0)));
        assertThat(rcptCommands()).contains("RCPT TO:<r5@example.com>");
    }

    @Test
    void shouldResendAStreamCacheBodyUnchanged() {
        server.recipientLimit(3);
        byte[] raw = TestMessages.raw("<cache@t>", "cached", 5_000);
        Exchange exchange = TestMessages.exchange(context, new InputStreamCache(raw), "sender@example.com", FIVE);

        Exchange sent = template.send(server.uri(""), exchange);

        assertThat(sent.getException()).isNull();
        assertThat(result(sent).acceptedRecipients()).hasSize(5);
        assertThat(server.messages()).hasSize(2).allSatisfy(m -> assertThat(m).isEqualTo(raw));
    }

    @Test
    void shouldDeferTheRestWhenAOneOffStreamCannotBeSentAgain() {
        server.recipientLimit(2);
        Exchange exchange = TestMessages.exchange(context, new ByteArrayInputStream(TestMessages.raw("<s@t>", "s", 500)),
                                                  "sender@example.com", FIVE);

        Exchange sent = template.send(server.uri(""), exchange);

        DeliveryResult result = result(sent);
        assertThat(result.status()).isEqualTo(DeliveryStatus.PARTIAL);
        assertThat(result.acceptedRecipients()).containsExactly("r1@example.com", "r2@example.com");
        assertThat(result.deferredRecipients()).extracting(RecipientFailure::text)
                .containsOnly(ScriptedSmtpServer.TOO_MANY_RECIPIENTS);
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void shouldKeepOtherTemporaryRecipientRefusalsDeferred() {
        server.recipientLimit(2).on("RCPT TO:<r4@", "452 4.2.2 Mailbox full");

        Exchange sent = send(server.uri(""), FIVE);

        DeliveryResult result = result(sent);
        assertThat(result.status()).isEqualTo(DeliveryStatus.PARTIAL);
        assertThat(result.acceptedRecipients()).containsExactlyInAnyOrder("r1@example.com", "r2@example.com",
                                                                          "r3@example.com", "r5@example.com");
        assertThat(result.deferredRecipients()).containsExactly(
                new RecipientFailure("r4@example.com", 452, "4.2.2", "452 4.2.2 Mailbox full"));
    }
}
