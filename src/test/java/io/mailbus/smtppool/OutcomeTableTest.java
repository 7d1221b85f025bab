package io.mailbus.smtppool;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.mailbus.outcome.FailureClassifier;
import io.mailbus.outcome.RetryClass;
import io.mailbus.outcome.Verdict;
import io.mailbus.outcome.Verdict.Kind;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The README's outcome table, row by row: the scripted server plays the reply as Postfix words it, the real
 * component throws what it throws (Angus's exception as the cause), and {@link FailureClassifier} gives the verdict
 * the application acts on. Rows that need more than one request (a mix of 4xx and 5xx recipients) run through the
 * whole flow in {@code OutcomeRowsIT}.
 */
class OutcomeTableTest extends ScriptedServerTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");
    private static final String AUTH_EHLO = "250-stub.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME";
    private static final String AUTH_URI = "username=mailbus&password=secret";

    static Stream<Arguments> rows() {
        return Stream.of(
                row("421 4.3.2 at the greeting", s -> s.greeting("421 4.3.2 Service shutting down and closing transmission channel"), "", Kind.RETRY, RetryClass.CONNECTION),
                row("421 4.7.0 too many connections", s -> s.greeting("421 4.7.0 mx.example.com Error: too many connections from 127.0.0.1"), "", Kind.RETRY, RetryClass.CONNECTION),
                row("554 at the greeting", s -> s.greeting("554 5.7.1 mx.example.com ESMTP not accepting messages"), "", Kind.CONFIGURATION, null),
                row("530 STARTTLS first", s -> s.on("MAIL FROM", "530 5.7.0 Must issue a STARTTLS command first"), "", Kind.CONFIGURATION, null),
                row("530 authentication required", s -> s.on("MAIL FROM", "530 5.7.0 <sender@example.com>: Sender address rejected: Authentication required"), "", Kind.CONFIGURATION, null),
                row("535 at AUTH", s -> s.ehlo(AUTH_EHLO).on("AUTH", "535 5.7.8 Error: authentication failed: authentication failure"), AUTH_URI, Kind.CONFIGURATION, null),
                row("503 5.5.1 at AUTH", s -> s.ehlo(AUTH_EHLO).on("AUTH", "503 5.5.1 Error: authentication not enabled"), AUTH_URI, Kind.CONFIGURATION, null),
                row("454 at AUTH", s -> s.ehlo(AUTH_EHLO).on("AUTH", "454 4.7.0 Temporary authentication failure: Connection lost to authentication server"), AUTH_URI, Kind.RETRY, RetryClass.CONNECTION),
                row("550 5.1.1 at RCPT", s -> s.on("RCPT TO", "550 5.1.1 <rcpt@example.com>: Recipient address rejected: User unknown in local recipient table"), "", Kind.REJECTED, null),
                row("550 5.2.1 at RCPT", s -> s.on("RCPT TO", "550 5.2.1 <rcpt@example.com>: Recipient address rejected: Mailbox disabled"), "", Kind.REJECTED, null),
                row("552 5.2.2 at RCPT", s -> s.on("RCPT TO", "552 5.2.2 <rcpt@example.com>: Recipient address rejected: Mailbox full"), "", Kind.REJECTED, null),
                row("554 5.7.1 relay denied", s -> s.on("RCPT TO", "554 5.7.1 <rcpt@example.com>: Relay access denied"), "", Kind.REJECTED, null),
                row("450 4.2.0 at RCPT", s -> s.on("RCPT TO", "450 4.2.0 <rcpt@example.com>: Recipient address rejected: Temporarily unavailable"), "", Kind.RETRY, RetryClass.TRANSIENT),
                row("452 4.2.2 at RCPT", s -> s.on("RCPT TO", "452 4.2.2 <rcpt@example.com>: Recipient address rejected: Mailbox full"), "", Kind.RETRY, RetryClass.TRANSIENT),
                row("451 4.7.1 greylisted", s -> s.on("RCPT TO", "451 4.7.1 <rcpt@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html"), "", Kind.RETRY, RetryClass.THROTTLED),
                row("553 5.7.1 sender", s -> s.on("MAIL FROM", "553 5.7.1 <sender@example.com>: Sender address rejected: not owned by user mailbus"), "", Kind.REJECTED, null),
                row("554 5.7.1 sender", s -> s.on("MAIL FROM", "554 5.7.1 <sender@example.com>: Sender address rejected: Access denied"), "", Kind.REJECTED, null),
                row("451 4.3.0 at MAIL", s -> s.on("MAIL FROM", "451 4.3.0 Error: queue file write error"), "", Kind.RETRY, RetryClass.TRANSIENT),
                row("552 5.3.4 at MAIL", s -> s.on("MAIL FROM", "552 5.3.4 Message size exceeds fixed limit"), "", Kind.REJECTED, null),
                row("552 5.3.4 at end of DATA", s -> s.on(".", "552 5.3.4 Error: message file too big"), "", Kind.REJECTED, null),
                row("550 5.7.1 content", s -> s.on(".", "550 5.7.1 Message content rejected"), "", Kind.REJECTED, null),
                row("451 4.7.1 at end of DATA", s -> s.on(".", "451 4.7.1 Service unavailable - try again later"), "", Kind.RETRY, RetryClass.THROTTLED),
                row("reset mid-DATA", s -> s.on("DATA", ScriptedSmtpServer.DROP_MID_DATA), "", Kind.RETRY, RetryClass.CONNECTION),
                row("timeout before the final dot", s -> s.on("DATA", ScriptedSmtpServer.STALL_DATA), "writeTimeout=300", Kind.RETRY, RetryClass.CONNECTION));
    }

    private static Arguments row(String name, Consumer<ScriptedSmtpServer> script, String options, Kind kind,
                                 RetryClass retryClass) {
        return arguments(name, script, options, kind, retryClass);
    }

    private Verdict verdictOf(Exchange exchange) {
        assertThat(exchange.getException()).as("the exchange's exception").isInstanceOf(SmtpDeliveryException.class);
        assertThat(exchange.getException().getCause()).as("Angus's exception, kept as the cause").isNotNull();
        return FailureClassifier.classify(exchange.getException());
    }

    @ParameterizedTest(name = "{0} -> {3} {4}")
    @MethodSource("rows")
    void shouldClassifyTheRowAsTheTableSays(String name, Consumer<ScriptedSmtpServer> script, String options,
                                           Kind kind, RetryClass retryClass) {
        script.accept(server);

        Verdict verdict = verdictOf(send(server.uri(options), RCPT));

        assertThat(verdict.kind()).isEqualTo(kind);
        assertThat(verdict.retryClass()).isEqualTo(retryClass);
    }

    @Test
    void shouldRetryATimeoutAfterTheFinalDotAndSayItMayHaveBeenDelivered() {
        server.on(".", ScriptedSmtpServer.SILENT);

        Verdict verdict = verdictOf(send(server.uri("dataEndTimeout=300"), RCPT));

        assertThat(verdict.kind()).isEqualTo(Kind.RETRY);
        assertThat(verdict.smtp().isPossiblyDelivered()).isTrue();
    }

    @Test
    void shouldRetryARefusedConnectionOnTheConnectionSchedule() throws Exception {
        int port = server.port();
        server.close();

        Verdict verdict = verdictOf(send("smtp-pool:127.0.0.1:" + port + "?lazyStart=true&connectTimeout=1000", RCPT));

        assertThat(verdict.kind()).isEqualTo(Kind.RETRY);
        assertThat(verdict.retryClass()).isEqualTo(RetryClass.CONNECTION);
    }

    @Test
    void shouldKeepAnUntrustedCertificateAsConfiguration() throws Exception {
        TestCertificates ca = TestCertificates.authority("Mailbus Untrusted CA");
        try (ScriptedSmtpServer tls = new ScriptedSmtpServer(ca.serverContext("127.0.0.1"), false)) {
            Verdict verdict = verdictOf(send(tls.uri("encryption=starttls"), RCPT));

            assertThat(verdict.kind()).isEqualTo(Kind.CONFIGURATION);
        }
    }

    @Test
    void shouldRetryATlsHandshakeTheServerDropped() throws Exception {
        TestCertificates ca = TestCertificates.authority("Mailbus Handshake CA");
        try (ScriptedSmtpServer tls = new ScriptedSmtpServer(ca.serverContext("127.0.0.1"), false)) {
            tls.on("STARTTLS", ScriptedSmtpServer.RESET_HANDSHAKE);

            Verdict verdict = verdictOf(send(tls.uri("encryption=starttls"), RCPT));

            assertThat(verdict.kind()).isEqualTo(Kind.RETRY);
            assertThat(verdict.retryClass()).isEqualTo(RetryClass.CONNECTION);
        }
    }
}
