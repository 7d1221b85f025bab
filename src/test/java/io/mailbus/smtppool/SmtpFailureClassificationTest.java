package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.SocketException;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import org.apache.camel.Exchange;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins which class each failure a real Postfix 3.7 gives comes out as, with the reply it said and the exception Angus
 * Mail really threw as the cause: refusals of our setup (STARTTLS or AUTH required, bad credentials, AUTH not
 * enabled, a 5xx greeting) are {@link SmtpConfigurationException}s; a temporary AUTH failure, a 421 greeting and a
 * TLS handshake the server dropped are transient; a message larger than the server's EHLO SIZE is refused before
 * anything is sent.
 */
class SmtpFailureClassificationTest extends ScriptedServerTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");
    private static final String AUTH_EHLO = "250-stub.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME";

    private static <T extends SmtpDeliveryException> T failure(Exchange exchange, Class<T> type) {
        assertThat(exchange.getException()).as("the exchange's exception").isInstanceOf(type);
        return type.cast(exchange.getException());
    }

    private void assertNothingSent() {
        // pipelined (RFC 2920), DATA goes out with MAIL FROM and RCPT TO; the server refuses it, so no body follows
        assertThat(server.dataGoAheads()).as("DATA answered 354").isZero();
        assertThat(server.dataBytes()).isZero();
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void shouldReportStartTlsRequiredAtMailFromAsTlsConfiguration() {
        server.on("MAIL FROM", "530 5.7.0 Must issue a STARTTLS command first");

        SmtpTlsException e = failure(send(server.uri(""), RCPT), SmtpTlsException.class);

        assertThat(e).isInstanceOf(SmtpConfigurationException.class);
        assertThat(e.getReplyCode()).isEqualTo(530);
        assertThat(e.getEnhancedCode()).isEqualTo("5.7.0");
        assertThat(e.getCommand()).isEqualTo("MAIL FROM");
        assertThat(e.getServerText()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
        assertThat(e.getCause()).isInstanceOf(SMTPSendFailedException.class);
        assertNothingSent();
    }

    @ParameterizedTest
    @ValueSource(strings = { "530 5.7.0 Authentication required",
                             "530 5.7.0 <sender@example.com>: Authentication required" })
    void shouldReportAuthenticationRequiredAtMailFromAsAuthenticationConfiguration(String reply) {
        server.on("MAIL FROM", reply);

        SmtpAuthenticationException e = failure(send(server.uri(""), RCPT), SmtpAuthenticationException.class);

        assertThat(e.getReplyCode()).isEqualTo(530);
        assertThat(e.getCommand()).isEqualTo("MAIL FROM");
        assertThat(e.getServerText()).isEqualTo(reply);
        assertThat(e.getCause()).isInstanceOf(SMTPSendFailedException.class);
        assertNothingSent();
    }

    @Test
    void shouldReportAuthenticationRequiredAtEveryRcptToAsAuthenticationConfiguration() {
        server.on("RCPT TO", "530 5.7.0 <rcpt@example.com>: Authentication required");

        SmtpAuthenticationException e = failure(send(server.uri(""), RCPT), SmtpAuthenticationException.class);

        assertThat(e.getReplyCode()).isEqualTo(530);
        assertThat(e.getEnhancedCode()).isEqualTo("5.7.0");
        assertThat(e.getCommand()).isEqualTo("RCPT TO");
        assertThat(e.getCause()).isInstanceOf(SendFailedException.class);
        assertNothingSent();
    }

    @ParameterizedTest
    @ValueSource(strings = { "535 5.7.8 Error: authentication failed: authentication failure",
                             "503 5.5.1 Error: authentication not enabled" })
    void shouldReportAuthRefusalsAsAuthenticationConfiguration(String reply) {
        server.ehlo(AUTH_EHLO).on("AUTH", reply);

        SmtpAuthenticationException e = failure(send(server.uri("username=joe&password=pw"), RCPT),
                                                SmtpAuthenticationException.class);

        assertThat(e.isTransient()).isFalse();
        assertThat(e.getReplyCode()).isEqualTo(Integer.parseInt(reply.substring(0, 3)));
        assertThat(e.getEnhancedCode()).isEqualTo(reply.substring(4, 9));
        assertThat(e.getCommand()).isEqualTo("AUTH");
        assertThat(e.getServerText()).isEqualTo(reply);
        assertThat(e.getCause()).isInstanceOf(AuthenticationFailedException.class);
        assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void shouldNotSendUnauthenticatedWhenAUserIsSetAndTheServerOffersNoAuth() {
        server.ehlo("250-stub.test\r\n250 8BITMIME");

        SmtpAuthenticationException e = failure(send(server.uri("username=joe&password=pw"), RCPT),
                                                SmtpAuthenticationException.class);

        assertThat(e.getCommand()).isEqualTo("AUTH");
        assertThat(e.getReplyCode()).isZero();
        assertThat(e.getMessage()).contains("does not offer AUTH").doesNotContain("pw");
        assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL") || c.startsWith("AUTH"));
    }

    @Test
    void shouldReportATemporaryAuthFailureAsTransientNotConfiguration() {
        server.ehlo(AUTH_EHLO).on("AUTH", "454 4.7.0 Temporary authentication failure");

        SmtpTransientException e = failure(send(server.uri("username=joe&password=pw"), RCPT),
                                           SmtpTransientException.class);

        assertThat(e).isNotInstanceOf(SmtpConfigurationException.class);
        assertThat(e.getReplyCode()).isEqualTo(454);
        assertThat(e.getEnhancedCode()).isEqualTo("4.7.0");
        assertThat(e.getCommand()).isEqualTo("AUTH");
        assertThat(e.getCause()).isInstanceOf(AuthenticationFailedException.class);
        assertThat(result(send(server.uri("username=joe&password=pw"), RCPT)).retryable()).isTrue();
    }

    @Test
    void shouldReportAConnectionDroppedDuringAuthAsTransientNotConfiguration() {
        server.ehlo(AUTH_EHLO).on("AUTH", ScriptedSmtpServer.DROP);

        SmtpTransientException e = failure(send(server.uri("username=joe&password=pw"), RCPT),
                                           SmtpTransientException.class);

        assertThat(e).isNotInstanceOf(SmtpConfigurationException.class);
        assertThat(e.getReplyCode()).isZero();
        assertThat(e.getCommand()).isEqualTo("AUTH");
        assertThat(e.getCause()).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void shouldReportAConnectionClosedBeforeTheGreetingAsTransient() {
        server.greeting(ScriptedSmtpServer.DROP);

        SmtpTransientException e = failure(send(server.uri(""), RCPT), SmtpTransientException.class);

        assertThat(e.getReplyCode()).isZero();
        assertThat(e.getCommand()).isEqualTo("CONNECT");
        assertThat(e.getCause()).isExactlyInstanceOf(MessagingException.class).hasMessageContaining("[EOF]");
    }

    @Test
    void shouldReportA5xxGreetingAsConfigurationNotARejectionOfTheMessage() {
        server.greeting("554 5.7.1 mx.example: no SMTP service here");

        Exchange failed = send(server.uri(""), RCPT);

        SmtpConfigurationException e = failure(failed, SmtpConfigurationException.class);
        assertThat(e).isNotInstanceOf(SmtpAuthenticationException.class).isNotInstanceOf(SmtpTlsException.class);
        assertThat(e.getReplyCode()).isEqualTo(554);
        assertThat(e.getEnhancedCode()).isEqualTo("5.7.1");
        assertThat(e.getCommand()).isEqualTo("CONNECT");
        assertThat(e.getServerText()).isEqualTo("554 5.7.1 mx.example: no SMTP service here");
        assertThat(e.getCause()).isExactlyInstanceOf(MessagingException.class).hasMessageContaining("bad greeting");
        assertThat(result(failed).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(server.commands()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "421 4.3.2 Service shutting down and closing transmission channel",
                             "421 4.7.0 mx.example: too many connections from 127.0.0.1" })
    void shouldReportA421GreetingAsTransientAtConnectWithAngusCause(String greeting) {
        server.greeting(greeting);

        SmtpTransientException e = failure(send(server.uri(""), RCPT), SmtpTransientException.class);

        assertThat(e.getReplyCode()).isEqualTo(421);
        assertThat(e.getEnhancedCode()).isEqualTo(greeting.substring(4, 9));
        assertThat(e.getCommand()).isEqualTo("CONNECT");
        assertThat(e.getServerText()).isEqualTo(greeting);
        assertThat(e.isPossiblyDelivered()).isFalse();
        assertThat(e.getCause()).isExactlyInstanceOf(MessagingException.class)
                .hasMessageContaining("Got bad greeting from SMTP host").hasMessageContaining(greeting);
    }

    @ParameterizedTest
    @ValueSource(strings = { ScriptedSmtpServer.DROP_HANDSHAKE, ScriptedSmtpServer.RESET_HANDSHAKE })
    void shouldReportATlsHandshakeTheServerDroppedAsATransientConnectionFailure(String drop) throws Exception {
        TestCertificates ca = TestCertificates.authority("Mailbus Handshake CA");
        try (ScriptedSmtpServer tls = new ScriptedSmtpServer(ca.serverContext("127.0.0.1"), false)) {
            tls.on("STARTTLS", drop);

            SmtpTransientException e = failure(send(tls.uri("encryption=starttls"), RCPT),
                                               SmtpTransientException.class);

            assertThat(e).isNotInstanceOf(SmtpConfigurationException.class);
            assertThat(e.getReplyCode()).isZero();
            assertThat(e.getCommand()).isEqualTo("STARTTLS");
            assertThat(causes(e)).first().isInstanceOf(MessagingException.class);
            assertThat(causes(e)).anySatisfy(c -> assertThat(c)
                    .isInstanceOfAny(EOFException.class, SocketException.class, SSLHandshakeException.class));
            assertThat(causes(e)).anySatisfy(c -> assertThat(c).isInstanceOfAny(EOFException.class,
                                                                              SocketException.class));
        }
    }

    @Test
    void shouldRefuseAMessageLargerThanTheAdvertisedSizeBeforeSendingAnything() {
        server.ehlo("250-stub.test\r\n250-PIPELINING\r\n250 SIZE 2000");

        Exchange failed = send(server.uri(""), TestMessages.raw("<big@t>", "big", 5_000), RCPT);

        SmtpPermanentException e = failure(failed, SmtpPermanentException.class);
        assertThat(e).isNotInstanceOf(SmtpConfigurationException.class);
        assertThat(e.getReplyCode()).isEqualTo(552);
        assertThat(e.getEnhancedCode()).isEqualTo("5.3.4");
        assertThat(e.getCommand()).isEqualTo("MAIL FROM");
        assertThat(e.getServerText()).as("the server said nothing about it").isNull();
        assertThat(e.getMessage()).contains("2000");
        assertThat(result(failed).status()).isEqualTo(DeliveryStatus.REJECTED);
        assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL"));
        assertThat(server.messages()).isEmpty();
        assertThat(send(server.uri(""), TestMessages.raw("<small@t>", "small", 500), RCPT).getException()).isNull();
    }
}
