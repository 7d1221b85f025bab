package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * RFC 2920 PIPELINING as the server sees it. The server holds its replies to MAIL FROM and RCPT TO until DATA
 * arrives ({@link ScriptedSmtpServer#holdRepliesUntilData()}), so a client that waited for each reply would never get
 * to send the next command: when MAIL FROM, the RCPT TOs and DATA arrive as one flight the client pipelined. Every
 * reply in the flight is still the answer to its own command: a refused RCPT TO is that recipient's refusal.
 */
class SmtpPipeliningTest extends ScriptedServerTestSupport {

    private static final List<String> THREE = List.of("a@example.com", "b@example.com", "c@example.com");
    private static final List<String> FLIGHT = List.of("MAIL FROM:<sender@example.com>", "RCPT TO:<a@example.com>",
                                                       "RCPT TO:<b@example.com>", "RCPT TO:<c@example.com>", "DATA");
    private static final String LOCKSTEP_EHLO = "250-stub.test\r\n250-8BITMIME\r\n250 SIZE 10240000";

    private final byte[] raw = TestMessages.raw("<pipe@mailbus.test>", "pipelined", 2_000);

    private List<List<String>> flightsFromMail() {
        return server.flights().stream().filter(f -> f.get(0).startsWith("MAIL")).toList();
    }

    @Test
    void shouldSendMailFromEveryRcptToAndDataInOneFlight() {
        server.holdRepliesUntilData();

        Exchange sent = send(server.uri(""), raw, THREE);

        assertThat(sent.getException()).isNull();
        assertThat(result(sent).status()).isEqualTo(DeliveryStatus.SUCCESS);
        assertThat(result(sent).acceptedRecipients()).containsExactlyElementsOf(THREE);
        assertThat(flightsFromMail()).containsExactly(FLIGHT);
        assertThat(server.messages()).containsExactly(raw);
    }

    @Test
    void shouldReportARcptRefusedInsideTheFlightAsThatRecipientsRefusal() {
        server.holdRepliesUntilData().on("RCPT TO:<b@", "550 5.1.1 <b@example.com>: Recipient address rejected");

        Exchange sent = send(server.uri(""), raw, THREE);

        assertThat(sent.getException()).isNull();
        DeliveryResult result = result(sent);
        assertThat(result.status()).isEqualTo(DeliveryStatus.PARTIAL);
        assertThat(result.acceptedRecipients()).containsExactly("a@example.com", "c@example.com");
        assertThat(result.refusedRecipients()).containsExactly(
                new RecipientFailure("b@example.com", 550, "5.1.1",
                                     "550 5.1.1 <b@example.com>: Recipient address rejected"));
        assertThat(sent.getMessage().getHeader(SmtpPoolConstants.REFUSED_RECIPIENTS)).isEqualTo(result.refusedRecipients());
        assertThat(flightsFromMail()).containsExactly(FLIGHT);
        assertThat(server.messages()).containsExactly(raw);
    }

    @Test
    void shouldSendNoBodyAndResetWhenEveryRecipientInTheFlightIsRefused() {
        for (String r : THREE) {
            server.on("RCPT TO:<" + r, "550 5.1.1 Recipient address rejected: User unknown");
        }
        server.holdRepliesUntilData();

        Exchange failed = send(server.uri(""), raw, THREE);

        SmtpRecipientsRejectedException e = failed.getException(SmtpRecipientsRejectedException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.getCommand()).isEqualTo("RCPT TO");
        assertThat(e.getRecipientFailures()).extracting(RecipientFailure::address).containsExactlyElementsOf(THREE);
        assertThat(e.getRecipientFailures()).allSatisfy(f -> assertThat(f.code()).isEqualTo(550));
        assertThat(flightsFromMail()).containsExactly(FLIGHT);
        List<String> commands = server.commands();
        assertThat(commands.subList(commands.indexOf("DATA") + 1, commands.size())).isNotEmpty()
                .allSatisfy(c -> assertThat(c).isEqualTo("RSET"));
        assertThat(server.dataGoAheads()).isZero();
        assertThat(server.dataBytes()).isZero();
        assertThat(server.messages()).isEmpty();
        assertThat(send(server.uri(""), raw, List.of("z@example.com")).getException()).isNull();
        assertThat(server.connections()).as("the refusal left the connection usable").isEqualTo(1);
    }

    @Test
    void shouldReportAMailFromRefusedInsideTheFlightAsTheSendersRefusalAndKeepTheConnection() {
        server.holdRepliesUntilData().once("MAIL FROM", "553 5.7.1 <sender@example.com>: Sender address rejected");

        Exchange failed = send(server.uri(""), raw, THREE);

        SmtpPermanentException e = failed.getException(SmtpPermanentException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.getCommand()).isEqualTo("MAIL FROM");
        assertThat(e.getReplyCode()).isEqualTo(553);
        assertThat(e.getServerText()).isEqualTo("553 5.7.1 <sender@example.com>: Sender address rejected");
        assertThat(result(failed).status()).isEqualTo(DeliveryStatus.REJECTED);
        assertThat(server.commands()).containsSubsequence(FLIGHT.get(0), "DATA", "RSET");
        assertThat(server.messages()).isEmpty();
        Exchange next = send(server.uri(""), raw, List.of("z@example.com"));
        assertThat(next.getException()).isNull();
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.messages()).containsExactly(raw);
    }

    @Test
    void shouldNeverSendABodyToAServerThatInvitesOneAfterRefusingEveryRecipient() {
        server.on("RCPT TO", "550 5.1.1 User unknown").on("DATA", "354 go ahead anyway");

        Exchange failed = send(server.uri(""), raw, THREE);

        SmtpRecipientsRejectedException e = failed.getException(SmtpRecipientsRejectedException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.getRecipientFailures()).hasSize(3);
        assertThat(server.dataBytes()).as("no line went out after the 354").isZero();
        assertThat(server.messages()).isEmpty();
        assertThat(onlyPoolStatistics().idle()).as("the connection, inside a DATA, is dropped").isZero();
    }

    @Test
    void shouldStillSendTheRecipientsBeyondA452TooManyRecipientsInFurtherPipelinedTransactions() {
        server.holdRepliesUntilData().recipientLimit(2);
        List<String> five = List.of("r1@example.com", "r2@example.com", "r3@example.com", "r4@example.com",
                                    "r5@example.com");

        Exchange sent = send(server.uri(""), raw, five);

        assertThat(sent.getException()).isNull();
        assertThat(result(sent).status()).isEqualTo(DeliveryStatus.SUCCESS);
        assertThat(result(sent).acceptedRecipients()).containsExactlyInAnyOrderElementsOf(five);
        assertThat(server.connections()).isEqualTo(1);
        assertThat(flightsFromMail()).hasSize(3).allSatisfy(f -> assertThat(f).last().isEqualTo("DATA"));
        assertThat(flightsFromMail().get(0)).hasSize(7);
        assertThat(flightsFromMail().get(1)).containsExactly("MAIL FROM:<sender@example.com>",
                                                              "RCPT TO:<r3@example.com>", "RCPT TO:<r4@example.com>",
                                                              "RCPT TO:<r5@example.com>", "DATA");
        assertThat(server.messages()).hasSize(3).allSatisfy(m -> assertThat(m).isEqualTo(raw));
    }

    @Test
    void shouldTalkInLockStepToAServerThatDoesNotAdvertisePipelining() {
        server.ehlo(LOCKSTEP_EHLO).on("RCPT TO:<b@", "550 5.1.1 User unknown");

        Exchange sent = send(server.uri(""), raw, THREE);

        assertThat(result(sent).status()).isEqualTo(DeliveryStatus.PARTIAL);
        assertThat(result(sent).refusedRecipients()).extracting(RecipientFailure::address)
                .containsExactly("b@example.com");
        assertThat(flightsFromMail()).as("each command waited for the reply before it").containsExactly(
                List.of(FLIGHT.get(0)));
        assertThat(server.flights()).allSatisfy(f -> assertThat(f).hasSize(1));
        assertThat(server.messages()).containsExactly(raw);
    }

    @Test
    void shouldTalkInLockStepWhenPipeliningIsSwitchedOff() {
        Exchange sent = send(server.uri("pipelining=false"), raw, THREE);

        assertThat(sent.getException()).isNull();
        assertThat(server.flights()).allSatisfy(f -> assertThat(f).hasSize(1));
        assertThat(server.messages()).containsExactly(raw);
    }

    @Test
    void shouldSendTheSameCommandsPipelinedAsInLockStep() throws Exception {
        send(server.uri("pipelining=false"), raw, THREE);
        List<String> lockStep = server.commands();
        server.close();
        server = new ScriptedSmtpServer().holdRepliesUntilData();

        send(server.uri(""), raw, THREE);

        assertThat(server.commands()).containsExactlyElementsOf(lockStep);
    }
}
