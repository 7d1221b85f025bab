package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins that endpoints which name the same server, port, encryption and user but differ in any setting that shapes
 * a connection never share pooled connections: an endpoint with a wrong password or no trust store fails as it
 * would on its own, instead of delivering over connections another endpoint authenticated or verified. Pool names
 * (statistics keys) never carry a secret.
 */
class SmtpPoolSeparationTest extends SmtpPoolTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");

    @TempDir
    Path dir;

    private SmtpPoolComponent component() {
        return context.getComponent("smtp-pool", SmtpPoolComponent.class);
    }

    @Test
    void shouldNotDeliverWithAWrongPasswordOverConnectionsAuthenticatedWithTheRightOne() throws Exception {
        String plain = Base64.getEncoder().encodeToString("joe\0joe\0right-secret".getBytes(StandardCharsets.UTF_8));
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            server.ehlo("250-stub.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME")
                    .on("AUTH PLAIN " + plain, "235 2.7.0 Authentication successful")
                    .on("AUTH", "535 5.7.8 Error: authentication failed: authentication failure");

            Exchange right = send(server.uri("username=joe&password=right-secret&authMechanisms=PLAIN"), RCPT);
            Exchange wrong = send(server.uri("username=joe&password=wrong-secret&authMechanisms=PLAIN"), RCPT);

            assertThat(right.getException()).isNull();
            SmtpAuthenticationException e = wrong.getException(SmtpAuthenticationException.class);
            assertThat(e).as("exception %s", wrong.getException()).isNotNull();
            assertThat(e.getReplyCode()).isEqualTo(535);
            assertThat(e.getEnhancedCode()).isEqualTo("5.7.8");
            assertThat(e.getCommand()).isEqualTo("AUTH");
            assertThat(server.connections()).isEqualTo(2);
            assertThat(server.messages()).hasSize(1);
            assertThat(component().getPoolStatistics()).hasSize(2).allSatisfy((name, stats) -> {
                assertThat(name).startsWith("none://joe@127.0.0.1:" + server.port() + "#")
                        .doesNotContain("secret");
                assertThat(stats.server()).isEqualTo(name);
            });
        }
    }

    @Test
    void shouldNotDeliverWithoutATrustStoreOverConnectionsVerifiedWithAnotherEndpointsTrustStore() throws Exception {
        TestCertificates ca = TestCertificates.authority("Mailbus Separation CA");
        Path store = ca.writeTrustStore(dir, "PKCS12");
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(ca.serverContext("localhost", "127.0.0.1"), false)) {
            Exchange trusted = send(server.uri("encryption=starttls&trustStore=" + store + "&trustStorePassword="
                                               + TestCertificates.PASSWORD), RCPT);
            Exchange untrusted = send(server.uri("encryption=starttls"), RCPT);

            assertThat(trusted.getException()).isNull();
            SmtpTlsException e = untrusted.getException(SmtpTlsException.class);
            assertThat(e).as("exception %s", untrusted.getException()).isNotNull();
            assertThat(e.getCommand()).isEqualTo("STARTTLS");
            assertThat(server.messages()).hasSize(1);
            assertThat(component().getPoolStatistics()).hasSize(2)
                    .allSatisfy((name, stats) -> assertThat(name).doesNotContain(TestCertificates.PASSWORD));
        }
    }

    @Test
    void shouldShareOnePoolBetweenEndpointsWithTheSameSettings() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            send(server.uri("readTimeout=4000&heloName=mailbus.test"), RCPT);
            send(server.uri("heloName=mailbus.test&readTimeout=4000"), RCPT);
            send(server.uri("readTimeout=3000&heloName=mailbus.test"), RCPT);

            assertThat(component().getPoolStatistics()).hasSize(2);
            assertThat(server.connections()).as("the third endpoint has another read timeout").isEqualTo(2);
        }
    }
}
