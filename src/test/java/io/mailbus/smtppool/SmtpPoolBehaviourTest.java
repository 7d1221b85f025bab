package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Pins the pool's promises: connections are always given back or closed (never leaked), the cap holds under
 * concurrency, waiting is bounded, idle, old and spent connections are retired, and the envelope comes only from
 * the envelope headers.
 */
class SmtpPoolBehaviourTest extends ScriptedServerTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");

    @Test
    void shouldGiveTheOnlyConnectionBackAfterEveryKindOfFailure() throws Exception {
        String uri = server.uri("poolMaxTotal=1&poolMaxWait=500");
        server.once("RCPT TO", "550 5.1.1 User unknown");
        assertThat(send(uri, RCPT).getException()).isInstanceOf(SmtpRecipientsRejectedException.class);
        server.once("MAIL FROM", "421 4.3.2 Closing");
        assertThat(send(uri, RCPT).getException()).isInstanceOf(SmtpTransientException.class);
        server.once("DATA", ScriptedSmtpServer.DROP_MID_DATA);
        assertThat(send(uri, RCPT).getException()).isInstanceOf(SmtpTransientException.class);
        server.once(".", "554 5.7.1 Spam");
        assertThat(send(uri, RCPT).getException()).isInstanceOf(SmtpPermanentException.class);
        server.once("MAIL FROM", "530 5.7.0 Authentication required");
        assertThat(send(uri, RCPT).getException()).isInstanceOf(SmtpAuthenticationException.class);
        server.once(".", ScriptedSmtpServer.DROP);
        assertThat(send(uri, RCPT).getException()).isInstanceOf(SmtpTransientException.class);
        server.recipientLimit(1);
        assertThat(send(uri, List.of("a@example.com", "b@example.com")).getException()).isNull();
        server.recipientLimit(0);
        server.greeting("421 4.3.2 Busy");
        server.dropAllConnections();
        assertThat(send(uri, RCPT).getException()).isInstanceOf(SmtpTransientException.class)
                .isNotInstanceOf(SmtpPoolExhaustedException.class);
        server.greeting("220 back");

        Exchange ok = send(uri, RCPT);

        assertThat(ok.getException()).isNull();
        assertThat(onlyPoolStatistics().active()).isZero();
    }

    @Test
    void shouldNeverOpenMorethanPoolMaxTotalConnectionsUnder16Threads() throws Exception {
        String uri = server.uri("poolMaxTotal=3&poolMaxWait=10000");
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<Exchange>> sends = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                sends.add(threads.submit(() -> send(uri, RCPT)));
            }
            for (Future<Exchange> f : sends) {
                assertThat(f.get(30, TimeUnit.SECONDS).getException()).isNull();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(server.messages()).hasSize(160);
        assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(3);
        assertThat(onlyPoolStatistics().created()).isLessThanOrEqualTo(3);
    }

    @Test
    void shouldFailTransientWhenNoConnectionFreesUpWithinPoolMaxWait() {
        String uri = server.uri("poolMaxTotal=1&poolMaxWait=200&readTimeout=2000&dataEndTimeout=2000");
        server.once(".", ScriptedSmtpServer.SILENT);
        CompletableFuture<Exchange> holder = template.asyncSend(uri, TestMessages.exchange(
                context, TestMessages.raw("<hold@t>", "hold", 100), "sender@example.com", RCPT));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.messages().size() == 1);

        Exchange waited = send(uri, RCPT);

        SmtpPoolExhaustedException e = waited.getException(SmtpPoolExhaustedException.class);
        assertThat(e).isNotNull();
        assertThat(e.isTransient()).isTrue();
        assertThat(result(waited).status()).isEqualTo(DeliveryStatus.TEMP_FAILED);
        assertThat(holder.join().getException()).isInstanceOf(SmtpTransientException.class);
    }

    @Test
    void shouldCloseIdleConnectionsWithQuitInTheBackground() {
        assertThat(send(server.uri("idleTimeout=200"), RCPT).getException()).isNull();

        // Commons Pool counts an eviction after destroying the connection, so the server may see the close first
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.openConnections() == 0 && onlyPoolStatistics().evicted() > 0);

        assertThat(server.commands()).last().isEqualTo("QUIT");
        assertThat(onlyPoolStatistics().evicted()).isEqualTo(1);
    }

    @Test
    void shouldRetireConnectionsOlderThanMaxLifetime() {
        String uri = server.uri("maxLifetime=300&idleTimeout=60000");
        assertThat(send(uri, RCPT).getException()).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);

        Exchange next = send(uri, RCPT);

        assertThat(next.getMessage().getHeader(SmtpPoolConstants.CONNECTION_REUSE_COUNT)).isEqualTo(0);
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void shouldOpenANewConnectionAfterMaxMessagesPerConnection() {
        String uri = server.uri("maxMessagesPerConnection=2");
        for (int i = 0; i < 5; i++) {
            assertThat(send(uri, RCPT).getException()).isNull();
        }
        assertThat(server.connections()).isEqualTo(3);
        assertThat(server.messages()).hasSize(5);
    }

    @Test
    void shouldCheckAConnectionIdleLongerThanValidateAfterIdleAndReplaceItWhenDead() throws Exception {
        String uri = server.uri("validateAfterIdle=0");
        assertThat(send(uri, RCPT).getException()).isNull();
        server.dropAllConnections();

        Exchange next = send(uri, RCPT);

        assertThat(next.getException()).isNull();
        assertThat(server.connections()).isEqualTo(2);
        assertThat(onlyPoolStatistics().invalidated()).isZero();
    }

    @Test
    void shouldNotCheckARecentlyUsedConnection() {
        String uri = server.uri("validateAfterIdle=60000");
        send(uri, RCPT);
        send(uri, RCPT);
        assertThat(server.commands()).noneMatch(c -> c.startsWith("RSET") || c.startsWith("NOOP"));
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void shouldRejectAnExchangeWithoutEnvelopeAsInvalidWithoutConnecting() {
        Exchange noFrom = TestMessages.exchange(context, TestMessages.raw("<x@t>", "x", 10), null, RCPT);
        Exchange noTo = TestMessages.exchange(context, TestMessages.raw("<x@t>", "x", 10), "sender@example.com",
                                              List.of());

        for (Exchange e : List.of(template.send(server.uri(""), noFrom), template.send(server.uri(""), noTo))) {
            assertThat(e.getException()).isInstanceOf(SmtpInvalidMessageException.class);
            assertThat(result(e).status()).isEqualTo(DeliveryStatus.INVALID);
            assertThat(result(e).retryable()).isFalse();
        }
        assertThat(server.connections()).isZero();
    }

    @Test
    void shouldTakeTheEnvelopeOnlyFromTheEnvelopeHeaders() {
        Exchange exchange = TestMessages.exchange(context, new ByteArrayInputStream(TestMessages.raw("<s@t>", "s", 100)),
                                                  "sender@example.com", RCPT);
        exchange.getMessage().setHeader("To", "intruder@evil.test");
        exchange.getMessage().setHeader("Bcc", "intruder@evil.test");
        exchange.getMessage().setHeader("mail.smtp.from", "intruder@evil.test");
        exchange.getMessage().setHeader("mail.smtp.host", "evil.test");

        Exchange sent = template.send(server.uri(""), exchange);

        assertThat(sent.getException()).isNull();
        assertThat(sent.getMessage().getHeader(SmtpPoolConstants.MESSAGE_ID)).isEqualTo("<s@t>");
        assertThat(server.commands()).filteredOn(c -> c.startsWith("MAIL") || c.startsWith("RCPT"))
                .containsExactly("MAIL FROM:<sender@example.com>", "RCPT TO:<rcpt@example.com>");
        assertThat(server.messages().get(0)).isEqualTo(TestMessages.raw("<s@t>", "s", 100));
    }
}
