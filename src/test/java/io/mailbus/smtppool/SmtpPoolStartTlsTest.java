package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.apache.camel.Exchange;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins STARTTLS and implicit TLS against a scripted server holding a certificate from a test CA: delivery succeeds
 * when the CA is trusted (by sslContextParameters or by a trustStore file) and the certificate names 127.0.0.1,
 * with the host name check on; it fails with {@link SmtpTlsException}, before any MAIL FROM, when the certificate
 * names another host or its CA is not trusted.
 */
class SmtpPoolStartTlsTest extends SmtpPoolTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");

    private static TestCertificates ca;
    private static TestCertificates otherCa;
    private static SSLContext rightHost;
    private static SSLContext wrongHost;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = TestCertificates.authority("Mailbus Test CA");
        otherCa = TestCertificates.authority("Someone Else's CA");
        rightHost = ca.serverContext("localhost", "127.0.0.1");
        wrongHost = ca.serverContext("mail.example.org");
    }

    private void bindTrust(String name, TestCertificates authority) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", authority.caCertificate());
        KeyStoreParameters ksp = new KeyStoreParameters();
        ksp.setKeyStore(store);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(ksp);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        context.getRegistry().bind(name, tls);
    }

    private static void assertRefusedBeforeMail(Exchange failed, ScriptedSmtpServer server) {
        SmtpTlsException e = failed.getException(SmtpTlsException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.isPermanent()).isTrue();
        assertThat(result(failed).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL"));
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void shouldDeliverOverStartTlsWhenTheTestCaIsTrustedAndTheCertificateNamesTheHost() throws Exception {
        bindTrust("testCa", ca);
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(rightHost, false)) {
            Exchange sent = send(server.uri("encryption=starttls&sslContextParameters=#testCa&checkServerIdentity=true"),
                                 RCPT);

            assertThat(sent.getException()).isNull();
            assertThat(server.tlsSessions()).isEqualTo(1);
            assertThat(server.commands()).containsSubsequence("STARTTLS", "MAIL FROM:<sender@example.com>");
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void shouldDeliverOverStartTlsTrustingAPkcs12TrustStoreFile() throws Exception {
        Path store = ca.writeTrustStore(dir, "PKCS12");
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(rightHost, false)) {
            Exchange sent = send(server.uri("encryption=starttls&trustStore=" + store + "&trustStorePassword="
                                            + TestCertificates.PASSWORD), RCPT);

            assertThat(sent.getException()).isNull();
            assertThat(server.tlsSessions()).isEqualTo(1);
        }
    }

    @Test
    void shouldDeliverOverImplicitTlsTrustingAJksTrustStoreFileWithIdentityCheckOn() throws Exception {
        Path store = ca.writeTrustStore(dir, "JKS");
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(rightHost, true)) {
            Exchange sent = send(server.uri("encryption=ssl&checkServerIdentity=true&trustStore=" + store
                                            + "&trustStorePassword=" + TestCertificates.PASSWORD), RCPT);

            assertThat(sent.getException()).isNull();
            assertThat(server.tlsSessions()).isEqualTo(1);
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void shouldDeliverOverImplicitTlsWithSslContextParameters() throws Exception {
        bindTrust("testCa", ca);
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(rightHost, true)) {
            Exchange sent = send(server.uri("encryption=ssl&sslContextParameters=#testCa"), RCPT);

            assertThat(sent.getException()).isNull();
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void shouldRefuseStartTlsWhenTheTrustedCertificateNamesAnotherHost() throws Exception {
        bindTrust("testCa", ca);
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(wrongHost, false)) {
            Exchange failed = send(server.uri("encryption=starttls&sslContextParameters=#testCa"), RCPT);

            assertRefusedBeforeMail(failed, server);
            assertThat(failed.getException(SmtpTlsException.class).getCommand()).isEqualTo("STARTTLS");
        }
    }

    @Test
    void shouldAcceptTheOtherHostsCertificateOnlyWhenTheIdentityCheckIsSwitchedOff() throws Exception {
        bindTrust("testCa", ca);
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(wrongHost, false)) {
            Exchange sent = send(server.uri("encryption=starttls&sslContextParameters=#testCa"
                                            + "&checkServerIdentity=false"), RCPT);

            assertThat(sent.getException()).isNull();
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void shouldRefuseStartTlsWhenTheCaIsNotTrusted() throws Exception {
        bindTrust("otherCa", otherCa);
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(rightHost, false)) {
            Exchange failed = send(server.uri("encryption=starttls&sslContextParameters=#otherCa"), RCPT);

            assertRefusedBeforeMail(failed, server);
        }
    }

    @Test
    void shouldUseTheJvmDefaultTrustWhenTheTrustStoreOptionIsEmpty() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(rightHost, false)) {
            Exchange failed = send(server.uri("encryption=starttls&trustStore=&trustStorePassword="), RCPT);

            assertRefusedBeforeMail(failed, server);
        }
    }

    @Test
    void shouldRefuseImplicitTlsWhenTheTrustedCertificateNamesAnotherHost() throws Exception {
        Path store = ca.writeTrustStore(dir, "PKCS12");
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(wrongHost, true)) {
            Exchange failed = send(server.uri("encryption=ssl&trustStore=" + store + "&trustStorePassword="
                                              + TestCertificates.PASSWORD), RCPT);

            assertRefusedBeforeMail(failed, server);
        }
    }

    @Test
    void shouldRefuseImplicitTlsWhenTheCaIsNotTrusted() throws Exception {
        Path store = otherCa.writeTrustStore(dir, "PKCS12");
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(rightHost, true)) {
            Exchange failed = send(server.uri("encryption=ssl&trustStore=" + store + "&trustStorePassword="
                                              + TestCertificates.PASSWORD), RCPT);

            assertRefusedBeforeMail(failed, server);
        }
    }

    @ParameterizedTest(name = "encryption={0}")
    @ValueSource(strings = { "starttls", "ssl" })
    void shouldApplyTheEndOfDataTimeoutOverTlsToo(String encryption) throws Exception {
        bindTrust("testCa", ca);
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(rightHost, "ssl".equals(encryption))) {
            String uri = server.uri("encryption=" + encryption + "&sslContextParameters=#testCa&readTimeout=300"
                                    + "&dataEndTimeout=20000");
            server.once(".", "<delay 1500>250 2.0.0 Ok: queued as SLOWTLS");
            Exchange slow = send(uri, RCPT);
            server.once(".", ScriptedSmtpServer.SILENT);
            Exchange silent = send(server.uri("encryption=" + encryption + "&sslContextParameters=#testCa"
                                              + "&readTimeout=5000&dataEndTimeout=300"), RCPT);

            assertThat(slow.getException()).isNull();
            SmtpTransientException e = silent.getException(SmtpTransientException.class);
            assertThat(e).as("exception %s", silent.getException()).isNotNull();
            assertThat(e.isPossiblyDelivered()).isTrue();
            assertThat(e).hasRootCauseInstanceOf(SocketTimeoutException.class);
            assertThat(server.messages()).hasSize(2);
        }
    }
}
