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
}
