package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.util.List;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins how every SMTP reply class a server can give becomes data: the exception type, reply code, RFC 3463 code,
 * failing command and per-recipient results, and whether the connection is kept or closed afterwards.
 */
class SmtpReplyMappingTest extends ScriptedServerTestSupport {

    @ParameterizedTest(name = "{1} at {0}")
    @CsvSource({
            "MAIL FROM, 450 4.2.0 Mailbox busy,             MAIL FROM, true",
            "MAIL FROM, 451 4.3.0 Local error,              MAIL FROM, true",
            "MAIL FROM, 452 4.3.1 Insufficient storage,     MAIL FROM, true",
            "MAIL FROM, 550 5.7.1 Sender rejected,          MAIL FROM, false",
            "MAIL FROM, 551 5.1.6 Not local,                MAIL FROM, false",
            "MAIL FROM, 552 5.3.4 Message too big,          MAIL FROM, false",
            "MAIL FROM, 553 5.1.8 Bad sender domain,        MAIL FROM, false",
            "MAIL FROM, 554 5.7.1 Blocked,                  MAIL FROM, false",
            "DATA,      451 4.3.0 Try later,                DATA,      true",
            "DATA,      554 5.5.1 No valid recipients,      DATA,      false",
            ".,         450 4.7.1 Greylisted,               DATA,      true",
            ".,         451 4.3.0 Queue write error,        DATA,      true",
            ".,         452 4.3.1 Out of disk,              DATA,      true",
            ".,         550 5.7.1 Content rejected,         DATA,      false",
            ".,         551 5.7.1 Policy,                   DATA,      false",
            ".,         552 5.3.4 Message size exceeds,     DATA,      false",
            ".,         553 5.6.0 Bad header,               DATA,      false",
            ".,         554 5.7.1 Spam detected,            DATA,      false"
    })
    void shouldReportMailFromAndDataRepliesExactlyAndKeepTheConnection(String prefix, String reply, String command,
                                                                      boolean transientFailure) {
        server.once(prefix, reply);

        Exchange failed = send(server.uri(""), List.of("rcpt@example.com"));

        SmtpDeliveryException e = failed.getException(SmtpDeliveryException.class);
        assertThat(e).isInstanceOf(transientFailure ? SmtpTransientException.class : SmtpPermanentException.class);
        assertThat(e.isTransient()).isEqualTo(transientFailure);
        assertThat(e.getReplyCode()).isEqualTo(Integer.parseInt(reply.substring(0, 3)));
        assertThat(e.getEnhancedCode()).isEqualTo(reply.substring(4, 9));
        assertThat(e.getServerText()).isEqualTo(reply);
        assertThat(e.getCommand()).isEqualTo(command);
        assertThat(result(failed).status())
                .isEqualTo(transientFailure ? DeliveryStatus.TEMP_FAILED : DeliveryStatus.REJECTED);

        Exchange next = send(server.uri(""), List.of("rcpt@example.com"));
        assertThat(next.getException()).isNull();
        assertThat(server.connections()).as("a clean refusal keeps the connection").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} at RCPT TO")
    @CsvSource({
            "450 4.2.0 Greylisted, true", "451 4.3.0 Try later, true", "452 4.2.2 Mailbox full, true",
            "550 5.1.1 User unknown, false", "551 5.1.6 User not local, false", "552 5.2.2 Over quota, false",
            "553 5.1.3 Bad mailbox syntax, false", "554 5.7.1 Relay denied, false"
    })
    void shouldReportEveryRecipientRefusedAsRecipientsRejected(String reply, boolean transientFailure) {
        server.on("RCPT TO", reply);

        Exchange failed = send(server.uri(""), List.of("a@example.com", "b@example.com"));

        SmtpRecipientsRejectedException e = failed.getException(SmtpRecipientsRejectedException.class);
        assertThat(e).isNotNull();
        assertThat(e.isTransient()).isEqualTo(transientFailure);
        assertThat(e.getCommand()).isEqualTo("RCPT TO");
        int code = Integer.parseInt(reply.substring(0, 3));
        assertThat(e.getRecipientFailures()).containsExactly(
                new RecipientFailure("a@example.com", code, reply.substring(4, 9), reply),
                new RecipientFailure("b@example.com", code, reply.substring(4, 9), reply));
        // pipelined (RFC 2920), DATA goes out with MAIL FROM and RCPT TO; the server refuses it, so no body follows
        assertThat(server.dataGoAheads()).as("DATA answered 354").isZero();
        assertThat(server.dataBytes()).isZero();
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void shouldBePermanentWhenOneRefusalIs5xxAndTheOthers4xx() {
        server.on("RCPT TO:<a@", "452 4.2.2 Mailbox full").on("RCPT TO:<b@", "550 5.1.1 User unknown");

        Exchange failed = send(server.uri(""), List.of("a@example.com", "b@example.com"));

        SmtpRecipientsRejectedException e = failed.getException(SmtpRecipientsRejectedException.class);
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getRecipientFailures()).extracting(RecipientFailure::code).containsExactly(452, 550);
        assertThat(result(failed).status()).isEqualTo(DeliveryStatus.REJECTED);
    }

    @Test
    void shouldSendToAcceptedRecipientsAndReportEachRefusedOneWhenPartiallyRefused() {
        server.on("RCPT TO:<bad@", "550 5.1.1 <bad@example.com>: Recipient address rejected: User unknown")
                .on("RCPT TO:<full@", "452 4.2.2 Mailbox full");

        Exchange sent = send(server.uri(""), List.of("good@example.com", "bad@example.com", "full@example.com",
                                                     "good2@example.com"));

        assertThat(sent.getException()).isNull();
        assertThat(sent.getMessage().getHeader(SmtpPoolConstants.ACCEPTED_RECIPIENTS, List.class))
                .containsExactly("good@example.com", "good2@example.com");
        assertThat(sent.getMessage().getHeader(SmtpPoolConstants.REFUSED_RECIPIENTS, List.class)).containsExactly(
                new RecipientFailure("bad@example.com", 550, "5.1.1",
                                     "550 5.1.1 <bad@example.com>: Recipient address rejected: User unknown"),
                new RecipientFailure("full@example.com", 452, "4.2.2", "452 4.2.2 Mailbox full"));
        DeliveryResult result = result(sent);
        assertThat(result.status()).isEqualTo(DeliveryStatus.PARTIAL);
        assertThat(result.smtpCode()).isEqualTo(250);
        assertThat(result.recipientFailures()).hasSize(2);
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void shouldFailTransientAndNotReuseTheConnectionAfter421Greeting() {
        server.greeting("421 4.3.2 Service not available, closing channel");

        Exchange failed = send(server.uri(""), List.of("rcpt@example.com"));

        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e.getReplyCode()).isEqualTo(421);
        assertThat(e.getEnhancedCode()).isEqualTo("4.3.2");
        assertThat(e.getCommand()).isEqualTo("CONNECT");
        assertThat(onlyPoolStatistics().idle()).isZero();
    }

    @Test
    void shouldCloseTheConnectionAfter421MidSessionAndOpenAFreshOne() {
        server.once("MAIL FROM", "421 4.7.0 Too many errors, closing");

        Exchange failed = send(server.uri(""), List.of("rcpt@example.com"));
        Exchange next = send(server.uri(""), List.of("rcpt@example.com"));

        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e.getReplyCode()).isEqualTo(421);
        assertThat(e.getEnhancedCode()).isEqualTo("4.7.0");
        assertThat(e.getCommand()).isEqualTo("MAIL FROM");
        assertThat(next.getException()).isNull();
        assertThat(next.getMessage().getHeader(SmtpPoolConstants.CONNECTION_REUSE_COUNT)).isEqualTo(0);
        assertThat(server.connections()).isEqualTo(2);
        assertThat(onlyPoolStatistics().invalidated()).isEqualTo(1);
    }

    @Test
    void shouldFailTransientWithoutReplyCodeWhenTheServerDropsMidData() {
        server.once("DATA", ScriptedSmtpServer.DROP_MID_DATA);

        Exchange failed = send(server.uri(""), TestMessages.raw("<big@t>", "big", 20_000), List.of("rcpt@example.com"));
        Exchange next = send(server.uri(""), List.of("rcpt@example.com"));

        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e.getReplyCode()).isZero();
        assertThat(e.getEnhancedCode()).isNull();
        assertThat(e.getCommand()).isEqualTo("DATA");
        assertThat(result(failed).retryable()).isTrue();
        assertThat(next.getException()).isNull();
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void shouldFailTransientOnReadTimeoutAndCloseTheConnection() {
        server.once(".", ScriptedSmtpServer.SILENT);

        Exchange failed = send(server.uri("readTimeout=300&dataEndTimeout=300"), List.of("rcpt@example.com"));

        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e.getReplyCode()).isZero();
        assertThat(e.getCommand()).isEqualTo("DATA");
        assertThat(e).hasRootCauseInstanceOf(SocketTimeoutException.class);
        assertThat(onlyPoolStatistics().invalidated()).isEqualTo(1);
        assertThat(onlyPoolStatistics().idle()).isZero();
    }

    @Test
    void shouldRefuseToSendInClearWhenStartTlsIsRequiredButNotOffered() {
        Exchange failed = send(server.uri("encryption=starttls"), List.of("rcpt@example.com"));

        SmtpTlsException e = failed.getException(SmtpTlsException.class);
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getCommand()).isEqualTo("STARTTLS");
        assertThat(result(failed).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void shouldReportRejectedCredentialsAsPermanentAuthenticationFailure() {
        server.ehlo("250-stub.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME")
                .on("AUTH", "535 5.7.8 Authentication credentials invalid");

        Exchange failed = send(server.uri("username=joe&password=wrong"), List.of("rcpt@example.com"));

        SmtpAuthenticationException e = failed.getException(SmtpAuthenticationException.class);
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getReplyCode()).isEqualTo(535);
        assertThat(e.getEnhancedCode()).isEqualTo("5.7.8");
        assertThat(e.getCommand()).isEqualTo("AUTH");
        assertThat(e.getMessage()).doesNotContain("wrong");
        assertThat(result(failed).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL"));
    }
}
