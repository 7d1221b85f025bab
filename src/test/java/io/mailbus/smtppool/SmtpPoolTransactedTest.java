package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins that every exchange is sent entirely on the caller's thread, whether or not it is marked transacted
 * (camel-jms does not mark a listener's local transaction): it waits for a busy pool there, up to poolMaxWait, and
 * completes synchronously, so the route's later steps stay on the thread that owns the transaction.
 */
class SmtpPoolTransactedTest extends ScriptedServerTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");

    private ExecutorService caller;
    private SmtpConnectionPool pool;
    private AsyncProducer producer;

    @BeforeEach
    void startProducerWithItsOnlyConnectionHeld() throws Exception {
        caller = Executors.newSingleThreadExecutor(r -> new Thread(r, "jms-listener"));
        SmtpPoolEndpoint endpoint = context.getEndpoint(server.uri("poolMaxTotal=1&poolMaxWait=10000"),
                                                        SmtpPoolEndpoint.class);
        producer = endpoint.createAsyncProducer();
        producer.start();
        pool = endpoint.getComponent().poolFor(endpoint.getConfiguration());
    }

    @AfterEach
    void stopProducer() {
        producer.stop();
        caller.shutdownNow();
    }

    private record Outcome(boolean returnedSync, boolean doneSync, String callbackThread, String callerThread) {
    }

    private Future<Outcome> processOnCaller(Exchange exchange) {
        return processOnCaller(producer, exchange);
    }

    private Future<Outcome> processOnCaller(AsyncProducer producer, Exchange exchange) {
        return caller.submit(() -> {
            CompletableFuture<String[]> done = new CompletableFuture<>();
            boolean sync = producer.process(exchange, doneSync -> done.complete(
                    new String[] { Boolean.toString(doneSync), Thread.currentThread().getName() }));
            String[] d = done.get(20, TimeUnit.SECONDS);
            return new Outcome(sync, Boolean.parseBoolean(d[0]), d[1], Thread.currentThread().getName());
        });
    }

    private Exchange exchange(boolean transacted) {
        Exchange exchange = TestMessages.exchange(context, TestMessages.raw("<tx@t>", "tx", 100), "sender@example.com",
                                                  RCPT);
        exchange.getExchangeExtension().setTransacted(transacted);
        return exchange;
    }

    @ParameterizedTest(name = "transacted={0}")
    @ValueSource(booleans = { true, false })
    void shouldWaitForABusyPoolAndSendOnTheCallersThread(boolean transacted) throws Exception {
        SmtpConnection held = pool.borrow();
        Exchange exchange = exchange(transacted);

        Future<Outcome> outcome = processOnCaller(exchange);
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.statistics().waiting() == 1);
        pool.release(held, false);

        Outcome o = outcome.get(20, TimeUnit.SECONDS);
        assertThat(exchange.getException()).isNull();
        assertThat(o.returnedSync()).isTrue();
        assertThat(o.doneSync()).isTrue();
        assertThat(o.callbackThread()).isEqualTo(o.callerThread()).isEqualTo("jms-listener");
        assertThat(result(exchange).status()).isEqualTo(DeliveryStatus.SUCCESS);
        assertThat(server.messages()).hasSize(1);
    }

    @ParameterizedTest(name = "transacted={0}")
    @ValueSource(booleans = { true, false })
    void shouldFailTransientOnTheCallersThreadWhenThePoolStaysBusy(boolean transacted) throws Exception {
        SmtpPoolEndpoint endpoint = context.getEndpoint(server.uri("poolMaxTotal=1&poolMaxWait=200"),
                                                        SmtpPoolEndpoint.class);
        AsyncProducer shortWait = endpoint.createAsyncProducer();
        shortWait.start();
        SmtpConnectionPool shortPool = endpoint.getComponent().poolFor(endpoint.getConfiguration());
        SmtpConnection held = shortPool.borrow();
        try {
            Exchange exchange = exchange(transacted);

            Outcome o = processOnCaller(shortWait, exchange).get(20, TimeUnit.SECONDS);

            assertThat(o.returnedSync()).isTrue();
            assertThat(o.callbackThread()).isEqualTo("jms-listener");
            assertThat(exchange.getException()).isInstanceOf(SmtpPoolExhaustedException.class);
            assertThat(result(exchange).status()).isEqualTo(DeliveryStatus.TEMP_FAILED);
        } finally {
            shortPool.release(held, false);
            shortWait.stop();
        }
    }
}
