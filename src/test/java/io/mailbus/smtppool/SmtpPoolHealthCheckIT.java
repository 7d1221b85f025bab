package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins the per-server health check against real sockets: UP against GreenMail with AUTH, DOWN against a closed
 * port with a transient CONNECT failure in the details.
 */
class SmtpPoolHealthCheckIT extends SmtpPoolTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.com", "joe", "secret"));

    private HealthCheck checkFor(int port, String options) throws Exception {
        context.getEndpoint("smtp-pool:127.0.0.1:" + port + "?lazyStart=true&connectTimeout=2000&allowPlaintextAuth=true&"
                            + options)
                .createProducer().start();
        return HealthCheckRegistry.get(context).getCheck("smtp-pool:127.0.0.1:" + port).orElseThrow();
    }

    @Test
    void shouldBeUpAgainstGreenMailWithValidCredentials() throws Exception {
        HealthCheck check = checkFor(greenMail.getSmtp().getPort(), "username=joe&password=secret&authMechanisms=PLAIN");

        HealthCheck.Result r = check.call();

        assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void shouldBeDownAgainstAClosedPort() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        HealthCheck check = checkFor(closed, "username=joe&password=secret");

        HealthCheck.Result r = check.call();

        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getDetails()).containsEntry("failed.command", "CONNECT").containsEntry("smtp.code", 0)
                .containsEntry("transient", true);
        assertThat(r.getMessage().orElse("") + r.getDetails()).doesNotContain("secret");
    }
}
