package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;

/**
 * Pins the per-server health check (reported, neither readiness nor liveness) against the scripted stub: registered under group smtp-pool with id
 * smtp-pool:host:port as soon as a producer for the server starts; connect, EHLO, AUTH and the optional VRFY as
 * details; a rejected login is DOWN with the server's code and text but never the password; results cached.
 */
class SmtpPoolHealthCheckTest extends ScriptedServerTestSupport {

    private static final String PASSWORD = "s3cr3t-Pa55";

    private HealthCheck checkFor(String uri) throws Exception {
        context.getEndpoint(uri).createProducer().start();
        return HealthCheckRegistry.get(context).getCheck("smtp-pool:127.0.0.1:" + server.port()).orElseThrow();
    }

    private static String everything(HealthCheck.Result r) {
        StringWriter trace = new StringWriter();
        r.getError().ifPresent(e -> e.printStackTrace(new PrintWriter(trace)));
        return r.getMessage().orElse("") + r.getDetails() + trace;
    }

    @Test
    void shouldBeRegisteredAsAReportedCheckInGroupSmtpPoolWhenAProducerStarts() throws Exception {
        HealthCheck check = checkFor(server.uri(""));

        assertThat(check.getGroup()).isEqualTo("smtp-pool");
        assertThat(check.getId()).isEqualTo("smtp-pool:127.0.0.1:" + server.port());
        assertThat(check.isReadiness()).as("an SMTP server down must not take the HTTP edge out of service").isFalse();
        assertThat(check.isLiveness()).isFalse();
    }

    @Test
    void shouldBeUpAfterConnectEhloAuthAndQuit() throws Exception {
        server.ehlo("250-stub.test\r\n250 AUTH PLAIN").on("AUTH", "235 2.7.0 Authentication successful");
        HealthCheck check = checkFor(server.uri("username=joe&password=" + PASSWORD + "&authMechanisms=PLAIN"));

        HealthCheck.Result r = check.call();

        assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(r.getDetails()).containsEntry("server", "127.0.0.1:" + server.port())
                .containsEntry("encryption", "none");
        assertThat(server.commands()).anyMatch(c -> c.startsWith("EHLO")).anyMatch(c -> c.startsWith("AUTH PLAIN"))
                .noneMatch(c -> c.startsWith("MAIL"));
        assertThat(everything(r)).doesNotContain(PASSWORD);
    }

    @Test
    void shouldBeDownWithTheServersReplyButNeverThePasswordWhenTheLoginIsRejected() throws Exception {
        server.ehlo("250-stub.test\r\n250 AUTH PLAIN LOGIN").on("AUTH", "535 5.7.8 Authentication credentials invalid");
        HealthCheck check = checkFor(server.uri("username=joe&password=" + PASSWORD));

        HealthCheck.Result r = check.call();

        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getDetails()).containsEntry("failed.command", "AUTH").containsEntry("smtp.code", 535)
                .containsEntry("smtp.enhancedCode", "5.7.8")
                .containsEntry("smtp.text", "535 5.7.8 Authentication credentials invalid")
                .containsEntry("transient", false);
        assertThat(r.getError()).containsInstanceOf(SmtpAuthenticationException.class);
        assertThat(everything(r)).doesNotContain(PASSWORD);
    }

    @Test
    void shouldReuseTheLastResultWithinTheCacheTime() throws Exception {
        HealthCheck check = checkFor(server.uri("healthCheckCacheTime=60000"));

        for (int i = 0; i < 5; i++) {
            assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        }

        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void shouldConnectAgainOnceTheCachedResultIsStale() throws Exception {
        HealthCheck check = checkFor(server.uri("healthCheckCacheTime=0"));

        check.call();
        check.call();

        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void shouldReportVrfyOfTheSenderAsDetails() throws Exception {
        server.on("VRFY", "252 2.1.5 Cannot VRFY user, but will accept message");
        HealthCheck check = checkFor(server.uri("healthCheckVrfy=sender@example.com"));

        HealthCheck.Result r = check.call();

        assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(r.getDetails()).containsEntry("vrfy.code", 252).containsEntry("vrfy.enhancedCode", "2.1.5");
        assertThat(server.commands()).contains("VRFY sender@example.com");
    }

    @Test
    void shouldStayUpWhenVrfyIsRefusedUnlessVrfyIsRequired() throws Exception {
        server.on("VRFY", "502 5.5.1 VRFY command is disabled");
        HealthCheck check = checkFor(server.uri("healthCheckVrfy=sender@example.com"));

        HealthCheck.Result r = check.call();

        assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(r.getDetails()).containsEntry("vrfy.code", 502)
                .containsEntry("vrfy.text", "502 5.5.1 VRFY command is disabled");
    }

    @Test
    void shouldBeDownWhenARequiredVrfyIsRefused() throws Exception {
        server.on("VRFY", "550 5.1.1 User unknown");
        HealthCheck check = checkFor(server.uri("healthCheckVrfy=sender@example.com&healthCheckVrfyRequired=true"));

        HealthCheck.Result r = check.call();

        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getDetails()).containsEntry("vrfy.code", 550);
        assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("550 5.1.1 User unknown"));
    }

    @Test
    void shouldBeUnregisteredWhenTheComponentStops() throws Exception {
        checkFor(server.uri(""));

        context.getComponent("smtp-pool").stop();

        assertThat(HealthCheckRegistry.get(context).getCheck("smtp-pool:127.0.0.1:" + server.port())).isEmpty();
        assertThat(List.copyOf(HealthCheckRegistry.get(context).getCheckIDs())).noneMatch(id -> id.startsWith("smtp-pool:"));
    }

    @Test
    void shouldBeDownWhileTheServerRefusesOurSetUpAtMailFromAndUpOnceASendIsAccepted() throws Exception {
        String uri = server.uri("");
        HealthCheck check = checkFor(uri);
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        server.once("MAIL FROM", "530 5.7.0 Must issue a STARTTLS command first");

        template.send(uri, TestMessages.exchange(context, TestMessages.raw("<h1@t>", "h", 100), "s@example.com",
                java.util.List.of("r@example.com")));
        HealthCheck.Result down = check.call();

        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage().orElse("")).contains("refuses our set-up", "Must issue a STARTTLS command first");
        assertThat(down.getDetails()).containsEntry("smtp.code", 530);

        template.send(uri, TestMessages.exchange(context, TestMessages.raw("<h2@t>", "h", 100), "s@example.com",
                java.util.List.of("r@example.com")));
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
    }
}
