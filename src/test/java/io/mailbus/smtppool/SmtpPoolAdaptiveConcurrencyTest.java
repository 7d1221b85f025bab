package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Pins the pool's answer to a server that limits connections per client, as Postfix's anvil does with
 * {@code 421 4.7.0 ... too many connections from 127.0.0.1}: the pool stops opening connections beyond what the
 * server took, so retried sends wait for a free connection instead of earning more refusals, and it grows back
 * by one after {@value AdaptiveConcurrency#GROW_AFTER} healthy connections in a row.
 */
class SmtpPoolAdaptiveConcurrencyTest extends ScriptedServerTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");

    /** Sends until accepted, as the application's retry would; every refusal on the way must be transient. */
    private Exchange sendRetrying(String uri, int id) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Exchange e = send(uri, TestMessages.raw("<m" + id + "@t>", "m" + id, 200), RCPT);
            if (e.getException() == null) {
                return e;
            }
            assertThat(e.getException()).isInstanceOf(SmtpTransientException.class);
        }
        throw new AssertionError("message " + id + " was never accepted");
    }

    @Test
    void shouldShrinkToTheConnectionsTheServerTakesAndDeliverEverythingOnRetry() throws Exception {
        server.maxConnections(1);
        String uri = server.uri("");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Exchange>> sends = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int id = i;
                sends.add(threads.submit(() -> sendRetrying(uri, id)));
            }
            for (Future<Exchange> f : sends) {
                assertThat(f.get(60, TimeUnit.SECONDS).getException()).isNull();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(server.messages()).hasSize(50);
        assertThat(server.maxConcurrentConnections()).isOne();
        assertThat(server.refusedConnections()).isPositive();
        assertThat(onlyPoolStatistics().maxTotal()).as("poolMaxTotal is 10; the server took 1").isOne();
    }

    @Test
    void shouldGrowBackByOneAfterEnoughHealthyConnections() throws Exception {
        server.maxConnections(1);
        String uri = server.uri("poolMaxTotal=3");
        SmtpConnectionPool pool = context.getComponent("smtp-pool", SmtpPoolComponent.class)
                .poolFor(context.getEndpoint(uri, SmtpPoolEndpoint.class).getConfiguration());
        SmtpConnection first = pool.borrow();

        SmtpTransientException e = assertThrows(SmtpTransientException.class, pool::borrow);
        pool.release(first, false);

        assertThat(e.getReplyCode()).isEqualTo(421);
        assertThat(e.getEnhancedCode()).isEqualTo("4.7.0");
        assertThat(e.getCommand()).isEqualTo("CONNECT");
        assertThat(pool.statistics().maxTotal()).isOne();
        server.maxConnections(0);
        for (int i = 2; i < AdaptiveConcurrency.GROW_AFTER; i++) {
            assertThat(send(uri, RCPT).getException()).isNull();
        }
        assertThat(pool.statistics().maxTotal()).isOne();
        assertThat(send(uri, RCPT).getException()).isNull();
        assertThat(pool.statistics().maxTotal()).isEqualTo(2);
    }

    /**
     * Holds {@code held} connections, then sends one more whose server says we hold too many (its greeting, or its
     * reply to MAIL FROM); returns the pool's limit afterwards.
     */
    private int limitAfter(int held, String greeting, String mailFromReply) throws Exception {
        String uri = server.uri("poolMaxTotal=5");
        SmtpConnectionPool pool = context.getComponent("smtp-pool", SmtpPoolComponent.class)
                .poolFor(context.getEndpoint(uri, SmtpPoolEndpoint.class).getConfiguration());
        List<SmtpConnection> holding = new ArrayList<>();
        for (int i = 0; i < held; i++) {
            holding.add(pool.borrow());
        }
        if (greeting != null) {
            server.greeting(greeting);
        }
        if (mailFromReply != null) {
            server.once("MAIL FROM", mailFromReply);
        }
        Exchange refused = send(uri, RCPT);
        holding.forEach(c -> pool.release(c, false));
        assertThat(refused.getException()).isInstanceOf(SmtpTransientException.class);
        return pool.statistics().maxTotal();
    }

    @Test
    void shouldShrinkOn421Code470AtConnectWhateverItsText() throws Exception {
        assertThat(limitAfter(2, "421 4.7.0 Temporary server error. Please try again later. PRX4", null)).isEqualTo(2);
    }

    @Test
    void shouldShrinkOnATooManyConnectionsTextWhateverItsCode() throws Exception {
        assertThat(limitAfter(2, "421 4.4.5 Server busy: too many connections from 127.0.0.1", null)).isEqualTo(2);
    }

    @Test
    void shouldShrinkBelowTheOpenConnectionsOn432Code432AfterConnecting() throws Exception {
        // two held and the sending one were open when Exchange Online said the third was one too many
        assertThat(limitAfter(2, null, "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded"))
                .isEqualTo(2);
    }

    @Test
    void shouldNotShrinkOnOtherTemporaryFailures() throws Exception {
        assertThat(limitAfter(2, null, "451 4.3.0 Temporary local problem")).isEqualTo(5);
    }
}
