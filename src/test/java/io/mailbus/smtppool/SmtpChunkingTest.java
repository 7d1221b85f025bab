package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.apache.camel.Exchange;
import org.apache.camel.converter.stream.InputStreamCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 3030 CHUNKING inside the pipelined flight, as the server sees it: with PIPELINING and CHUNKING advertised,
 * MAIL FROM, the RCPT TOs and {@code BDAT <n> LAST} with the body arrive as one flight (the server holds its replies
 * until the BDAT, so a client waiting for any reply could not have sent it), and every reply keeps its meaning.
 */
class SmtpChunkingTest extends ScriptedServerTestSupport {

    private static final List<String> THREE = List.of("a@example.com", "b@example.com", "c@example.com");
    private final byte[] raw = TestMessages.raw("<chunk@mailbus.test>", "chunked", 2_000);

    private List<List<String>> flightsFromMail() {
        return server.flights().stream().filter(f -> f.get(0).startsWith("MAIL")).toList();
    }

    @Test
    void shouldSendTheWholeTransactionWithTheBodyInOneFlight() {
        server.chunking().holdRepliesUntilData();

        Exchange sent = send(server.uri(""), raw, THREE);

        assertThat(sent.getException()).isNull();
        assertThat(result(sent).status()).isEqualTo(DeliveryStatus.SUCCESS);
        assertThat(result(sent).acceptedRecipients()).containsExactlyElementsOf(THREE);
        assertThat(flightsFromMail()).containsExactly(List.of("MAIL FROM:<sender@example.com>",
                "RCPT TO:<a@example.com>", "RCPT TO:<b@example.com>", "RCPT TO:<c@example.com>",
                "BDAT " + raw.length + " LAST"));
        assertThat(server.commands()).doesNotContain("DATA");
        assertThat(server.messages()).containsExactly(raw);
    }

    @Test
    void shouldReportARcptRefusedInsideTheChunkedFlightAsThatRecipientsRefusal() {
        server.chunking().holdRepliesUntilData().on("RCPT TO:<b@", "550 5.1.1 <b@example.com>: User unknown");

        Exchange sent = send(server.uri(""), raw, THREE);

        DeliveryResult result = result(sent);
        assertThat(result.status()).isEqualTo(DeliveryStatus.PARTIAL);
        assertThat(result.acceptedRecipients()).containsExactly("a@example.com", "c@example.com");
        assertThat(result.refusedRecipients()).containsExactly(
                new RecipientFailure("b@example.com", 550, "5.1.1", "550 5.1.1 <b@example.com>: User unknown"));
        assertThat(server.messages()).containsExactly(raw);
    }

    @Test
    void shouldReportEveryRecipientRefusedAndStoreNothingWhenTheBodyWentAlong() {
        for (String r : THREE) {
            server.on("RCPT TO:<" + r, "550 5.1.1 User unknown");
        }
        server.chunking();

        Exchange failed = send(server.uri(""), raw, THREE);

        SmtpRecipientsRejectedException e = failed.getException(SmtpRecipientsRejectedException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.getRecipientFailures()).extracting(RecipientFailure::address).containsExactlyElementsOf(THREE);
        assertThat(server.messages()).isEmpty();
        assertThat(server.commands()).last().isEqualTo("RSET");
        assertThat(send(server.uri(""), raw, List.of("z@example.com")).getException()).isNull();
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.messages()).containsExactly(raw);
    }

    @Test
    void shouldClassifyABdatRefusalAsARefusalAtTheEndOfData() {
        server.chunking().once("BDAT", "552 5.3.4 Error: message file too big");

        Exchange failed = send(server.uri(""), raw, THREE);

        SmtpPermanentException e = failed.getException(SmtpPermanentException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.getCommand()).isEqualTo("DATA");
        assertThat(e.getReplyCode()).isEqualTo(552);
        assertThat(e.getEnhancedCode()).isEqualTo("5.3.4");
        assertThat(result(failed).status()).isEqualTo(DeliveryStatus.REJECTED);
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void shouldTreatAConnectionLostAfterTheChunkedFlightAsPossiblyDelivered() {
        server.chunking().once("BDAT", ScriptedSmtpServer.DROP);

        Exchange failed = send(server.uri(""), raw, THREE);

        SmtpTransientException e = failed.getException(SmtpTransientException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.isPossiblyDelivered()).isTrue();
    }

    @Test
    void shouldSendAStreamCacheInMemoryWithBdatAsBytesAreAndALargeOneWithData() {
        server.chunking().holdRepliesUntilData();
        byte[] large = TestMessages.raw("<large@mailbus.test>", "large", TrackingSmtpTransport.INLINE_BODY_MAX + 1);

        // what a marshal step leaves behind: Camel's stream cache of the data format's output
        Exchange small = template.send(server.uri(""), TestMessages.exchange(context, new InputStreamCache(raw),
                                                                             "sender@example.com", THREE));
        template.send(server.uri(""), TestMessages.exchange(context, new InputStreamCache(large),
                                                            "sender@example.com", THREE));

        assertThat(result(small).messageId()).isEqualTo("<chunk@mailbus.test>");
        assertThat(flightsFromMail()).hasSize(2);
        assertThat(flightsFromMail().get(0)).last().isEqualTo("BDAT " + raw.length + " LAST");
        assertThat(flightsFromMail().get(1)).last().isEqualTo("DATA");
        assertThat(server.messages()).containsExactly(raw, large);
    }

    @Test
    void shouldUsePipelinedDataWhenChunkingIsSwitchedOffOrTheMessageIsLarge() {
        server.chunking().holdRepliesUntilData();
        byte[] large = TestMessages.raw("<large@mailbus.test>", "large", TrackingSmtpTransport.INLINE_BODY_MAX + 1);

        send(server.uri("chunking=false"), raw, THREE);
        send(server.uri(""), large, THREE);

        assertThat(flightsFromMail()).hasSize(2).allSatisfy(f -> assertThat(f).last().isEqualTo("DATA"));
        assertThat(server.commands()).noneMatch(c -> c.startsWith("BDAT"));
        assertThat(server.messages()).containsExactly(raw, large);
    }

    @Test
    void shouldDeliverTheSameBytesWithBdatAsWithDataForBareLineEnds() throws Exception {
        byte[] bare = ("From: sender@example.com\nSubject: bare\n\nline one\r\nline two\rline three")
                .getBytes(StandardCharsets.US_ASCII);
        send(server.uri("chunking=false"), bare, THREE);
        byte[] viaData = server.messages().get(0);
        server.close();
        server = new ScriptedSmtpServer().chunking();

        send(server.uri(""), bare, THREE);

        assertThat(server.commands()).anyMatch(c -> c.startsWith("BDAT"));
        assertThat(server.messages()).containsExactly(viaData);
        assertThat(new String(viaData, StandardCharsets.US_ASCII)).endsWith("line three\r\n");
    }

    @Test
    void shouldNotChunkWithoutPipelining() {
        server.ehlo("250-stub.test\r\n250-CHUNKING\r\n250 8BITMIME");

        Exchange sent = send(server.uri(""), raw, THREE);

        assertThat(sent.getException()).isNull();
        assertThat(server.commands()).contains("DATA").noneMatch(c -> c.startsWith("BDAT"));
        assertThat(server.flights()).allSatisfy(f -> assertThat(f).hasSize(1));
        assertThat(server.messages()).containsExactly(raw);
    }

    @Test
    void shouldChunkInsideStartTlsAndNotChunkOverImplicitTls(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.authority("Mailbus Test CA");
        SSLContext host = ca.serverContext("localhost", "127.0.0.1");
        String trust = "trustStore=" + ca.writeTrustStore(dir, "PKCS12") + "&trustStorePassword="
                       + TestCertificates.PASSWORD;
        try (ScriptedSmtpServer starttls = new ScriptedSmtpServer(host, false).chunking().holdRepliesUntilData();
             ScriptedSmtpServer implicit = new ScriptedSmtpServer(host, true).chunking().holdRepliesUntilData()) {
            Exchange overStartTls = send(starttls.uri("encryption=starttls&" + trust), raw, THREE);
            Exchange overImplicitTls = send(implicit.uri("encryption=ssl&" + trust), raw, THREE);

            assertThat(overStartTls.getException()).isNull();
            assertThat(starttls.tlsSessions()).isEqualTo(1);
            assertThat(starttls.flights()).filteredOn(f -> f.get(0).startsWith("MAIL")).singleElement()
                    .satisfies(f -> assertThat(f).hasSize(5).last().isEqualTo("BDAT " + raw.length + " LAST"));
            assertThat(starttls.messages()).containsExactly(raw);
            assertThat(overImplicitTls.getException()).isNull();
            assertThat(implicit.flights()).filteredOn(f -> f.get(0).startsWith("MAIL")).singleElement()
                    .satisfies(f -> assertThat(f).hasSize(5).last().isEqualTo("DATA"));
            assertThat(implicit.messages()).containsExactly(raw);
        }
    }
}
