package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.mailbus.oauth.ClientCredentialsTokens;
import io.mailbus.oauth.TokenEndpoint;
import io.mailbus.outcome.FailureClassifier;
import io.mailbus.outcome.RetryClass;
import io.mailbus.outcome.Verdict;
import io.mailbus.routing.MovableClock;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XOAUTH2 with tokens of the OAuth 2.0 client credentials grant, against a token endpoint and a scripted SMTP server
 * that checks the bearer token: the token goes out in the SASL initial response, is reused by new connections until
 * it is near its expiry, then replaced; a refused client is a configuration failure and a busy endpoint a transient
 * one.
 */
class SmtpOAuthClientCredentialsTest extends ScriptedServerTestSupport {

    private TokenEndpoint endpoint;
    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void startEndpoint() throws Exception {
        endpoint = new TokenEndpoint();
        server.ehlo("250-stub.test\r\n250 AUTH XOAUTH2").on("AUTH", "235 2.7.0 Authentication successful");
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.close();
    }

    private ClientCredentialsTokens tokens(String secret) {
        return new ClientCredentialsTokens(URI.create(endpoint.url()), TokenEndpoint.CLIENT_ID, secret,
                "https://outlook.office365.com/.default", Duration.ofMinutes(5), Duration.ofSeconds(5), clock);
    }

    private String uri(ClientCredentialsTokens tokens) {
        context.getRegistry().bind("tokens", tokens);
        // one message per connection: every send opens a connection and asks for a token
        return server.uri("username=mailbox@contoso.example&authMechanisms=XOAUTH2&oauthTokenSupplier=#tokens"
                          + "&maxMessagesPerConnection=1");
    }

    @Test
    void shouldLogInWithTheTokenAndReuseItUntilNearItsExpiry() {
        endpoint.expiresIn(3600);
        String uri = uri(tokens(TokenEndpoint.CLIENT_SECRET));

        for (int i = 0; i < 3; i++) {
            assertThat(send(uri, List.of("rcpt@example.com")).getException()).isNull();
        }
        clock.advance(Duration.ofMinutes(54)); // 6 minutes left: outside the 5-minute margin, still reused
        assertThat(send(uri, List.of("rcpt@example.com")).getException()).isNull();
        clock.advance(Duration.ofMinutes(2)); // 4 minutes left: replaced
        assertThat(send(uri, List.of("rcpt@example.com")).getException()).isNull();

        assertThat(server.messages()).hasSize(5);
        assertThat(endpoint.forms()).hasSize(2);
        assertThat(endpoint.forms().get(0)).containsEntry("grant_type", "client_credentials")
                .containsEntry("client_id", TokenEndpoint.CLIENT_ID)
                .containsEntry("client_secret", TokenEndpoint.CLIENT_SECRET)
                .containsEntry("scope", "https://outlook.office365.com/.default");
        List<String> logins = server.commands().stream().filter(c -> c.startsWith("AUTH XOAUTH2")).map(
                SmtpOAuthClientCredentialsTest::decode).toList();
        String first = "user=mailbox@contoso.example\u0001auth=Bearer token-1\u0001\u0001";
        String second = "user=mailbox@contoso.example\u0001auth=Bearer token-2\u0001\u0001";
        assertThat(logins).containsExactly(first, first, first, first, second);
    }

    @Test
    void shouldAskTheEndpointOnceWhenManyConnectionsNeedATokenAtOnce() throws Exception {
        ClientCredentialsTokens tokens = tokens(TokenEndpoint.CLIENT_SECRET);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> asks = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                asks.add(tokens::get);
            }
            List<String> got = new ArrayList<>();
            for (Future<String> f : threads.invokeAll(asks, 30, TimeUnit.SECONDS)) {
                got.add(f.get());
            }
            assertThat(got).containsOnly("token-1").hasSize(32);
            assertThat(endpoint.forms()).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldTakeARefusedClientForAConfigurationFailure() {
        Exchange exchange = send(uri(tokens("wrong-secret")), List.of("rcpt@example.com"));

        assertThat(exchange.getException()).isInstanceOf(SmtpConfigurationException.class)
                .hasMessageContaining("401").hasMessageContaining("invalid_client")
                .hasMessageNotContaining("wrong-secret");
        assertThat(FailureClassifier.classify(exchange.getException()).kind()).isEqualTo(Verdict.Kind.CONFIGURATION);
        assertThat(server.connections()).isZero(); // no connection waits on, or is opened without, a token
    }

    @Test
    void shouldRetryWhenTheTokenEndpointIsUnavailableAndLogInOnceItAnswers() {
        String uri = uri(tokens(TokenEndpoint.CLIENT_SECRET));
        endpoint.failWith(503);

        Exchange failed = send(uri, List.of("rcpt@example.com"));

        assertThat(failed.getException()).isInstanceOf(SmtpTransientException.class).hasMessageContaining("503");
        Verdict verdict = FailureClassifier.classify(failed.getException());
        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.RETRY);
        assertThat(verdict.retryClass()).isEqualTo(RetryClass.CONNECTION);

        endpoint.failWith(0);
        assertThat(send(uri, List.of("rcpt@example.com")).getException()).isNull();
        assertThat(server.messages()).hasSize(1);
    }

    private static String decode(String authCommand) {
        String b64 = authCommand.substring("AUTH XOAUTH2 ".length()).trim();
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
