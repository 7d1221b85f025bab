package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * Pins that credentials never cross an unencrypted connection unless the endpoint says so: with encryption=none and
 * a username (password or XOAUTH2 token), a non-lazy producer fails to start naming allowPlaintextAuth, a lazy one
 * fails each send as an {@link SmtpConfigurationException} before it connects, and allowPlaintextAuth=true lets it
 * authenticate in clear.
 */
class SmtpPlaintextAuthTest extends ScriptedServerTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");

    /** No allowPlaintextAuth: the component's default decides. */
    private String plain(String options) {
        return "smtp-pool:127.0.0.1:" + server.port() + "?encryption=none&readTimeout=5000&" + options;
    }

    @Test
    void shouldRefuseToSendAPasswordInClearByDefault() {
        server.ehlo("250-stub.test\r\n250 AUTH PLAIN LOGIN").on("AUTH", "235 2.7.0 Accepted");

        Exchange failed = send(plain("lazyStart=true&username=joe&password=secret"), RCPT);

        SmtpConfigurationException e = failed.getException(SmtpConfigurationException.class);
        assertThat(e).as("exception %s", failed.getException()).isNotNull();
        assertThat(e.getMessage()).contains("allowPlaintextAuth=true").doesNotContain("secret");
        assertThat(e.getCommand()).isEqualTo("AUTH");
        assertThat(result(failed).retryable()).isFalse();
        assertThat(server.connections()).as("refused before connecting").isZero();
        assertThat(server.commands()).noneMatch(c -> c.startsWith("AUTH"));
    }

    @Test
    void shouldNotAskForAnOAuthTokenToSendInClear() {
        AtomicInteger asked = new AtomicInteger();
        Supplier<String> tokens = () -> "token-" + asked.incrementAndGet();
        context.getRegistry().bind("tokens", tokens);
        server.ehlo("250-stub.test\r\n250 AUTH XOAUTH2").on("AUTH", "235 2.7.0 Accepted");

        Exchange failed = send(plain("lazyStart=true&username=joe@example.com&authMechanisms=XOAUTH2"
                                     + "&oauthTokenSupplier=#tokens"), RCPT);

        assertThat(failed.getException()).isInstanceOf(SmtpConfigurationException.class);
        assertThat(asked.get()).isZero();
        assertThat(server.commands()).noneMatch(c -> c.startsWith("AUTH"));
    }

    @Test
    void shouldFailStartNamingTheOptionWhenNotLazy() throws Exception {
        server.ehlo("250-stub.test\r\n250 AUTH PLAIN LOGIN").on("AUTH", "235 2.7.0 Accepted");
        RouteBuilder route = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:plain").to(plain("lazyStart=false&username=joe&password=secret"));
            }
        };

        assertThatThrownBy(() -> context.addRoutes(route)) // the context runs: adding starts the route
                .rootCause().isInstanceOf(SmtpConfigurationException.class)
                .hasMessageContaining("allowPlaintextAuth=true").hasMessageContaining("encryption=none");
        assertThat(server.connections()).isZero();
    }

    @Test
    void shouldAuthenticateInClearOnlyWhenAllowed() {
        server.ehlo("250-stub.test\r\n250 AUTH PLAIN").on("AUTH", "235 2.7.0 Accepted");

        Exchange sent = send(plain("lazyStart=true&username=joe&password=secret&authMechanisms=PLAIN"
                                   + "&allowPlaintextAuth=true"), RCPT);

        assertThat(sent.getException()).isNull();
        assertThat(server.commands()).anyMatch(c -> c.startsWith("AUTH PLAIN"));
    }

    @Test
    void shouldSendWithoutCredentialsInClearAsBefore() {
        assertThat(send(plain("lazyStart=false"), RCPT).getException()).isNull();
    }
}
