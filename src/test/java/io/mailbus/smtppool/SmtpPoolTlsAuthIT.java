package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.apache.camel.Exchange;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins authentication and implicit TLS against GreenMail: PLAIN and LOGIN succeed, a wrong password is a permanent
 * authentication failure, and TLS is refused unless the certificate is trusted and, by default, names the host.
 * GreenMail's own self-signed certificate names no host, which is exactly what the identity check must catch.
 */
class SmtpPoolTlsAuthIT extends SmtpPoolTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            new ServerSetup[] { ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.com", "joe", "secret"));

    @BeforeEach
    void bindGreenMailTrustStore() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("classpath:greenmail.p12");
        store.setPassword("changeit");
        store.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        context.getRegistry().bind("greenmailTrust", tls);
    }

    private String smtp(String options) {
        // GreenMail's plain port on loopback: AUTH in clear is allowed here on purpose
        return "smtp-pool:127.0.0.1:" + greenMail.getSmtp().getPort() + "?lazyStart=true&allowPlaintextAuth=true&"
               + options;
    }

    private String smtps(String options) {
        return "smtp-pool:127.0.0.1:" + greenMail.getSmtps().getPort() + "?lazyStart=true&encryption=ssl&" + options;
    }

    @Test
    void shouldAuthenticateWithPlain() {
        Exchange sent = send(smtp("username=joe&password=secret&authMechanisms=PLAIN"), List.of("joe@example.com"));
        assertThat(sent.getException()).isNull();
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void shouldAuthenticateWithLogin() {
        Exchange sent = send(smtp("username=joe&password=secret&authMechanisms=LOGIN"), List.of("joe@example.com"));
        assertThat(sent.getException()).isNull();
    }

    @Test
    void shouldFailPermanentlyWithAuthenticationErrorOnWrongPassword() {
        Exchange failed = send(smtp("username=joe&password=wrong&authMechanisms=PLAIN"), List.of("joe@example.com"));

        SmtpAuthenticationException e = failed.getException(SmtpAuthenticationException.class);
        assertThat(e).isNotNull();
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getReplyCode()).isEqualTo(535);
        assertThat(e.getCommand()).isEqualTo("AUTH");
    }

    @Test
    void shouldSendOverImplicitTlsWhenTheCertificateIsTrustedAndIdentityCheckIsOff() {
        Exchange sent = send(smtps("sslContextParameters=#greenmailTrust&checkServerIdentity=false"),
                             List.of("joe@example.com"));
        assertThat(sent.getException()).isNull();
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void shouldRefuseATrustedCertificateThatDoesNotNameTheHost() {
        Exchange failed = send(smtps("sslContextParameters=#greenmailTrust"), List.of("joe@example.com"));

        SmtpTlsException e = failed.getException(SmtpTlsException.class);
        assertThat(e).isNotNull();
        assertThat(e.isPermanent()).isTrue();
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void shouldRefuseAnUntrustedCertificate() {
        Exchange failed = send(smtps("checkServerIdentity=false"), List.of("joe@example.com"));

        assertThat(failed.getException()).isInstanceOf(SmtpTlsException.class);
        assertThat(result(failed).status()).isEqualTo(DeliveryStatus.FAILED);
    }
}
