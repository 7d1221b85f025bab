package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Pins the Micrometer view of the pools: one set of meters per server tagged server=host:port, for servers known
 * when binding and those reached afterwards, reading the pool's live statistics.
 */
class SmtpPoolMeterBinderTest extends ScriptedServerTestSupport {

    private static final List<String> RCPT = List.of("rcpt@example.com");

    private double value(SimpleMeterRegistry registry, String name) {
        return registry.get("smtp.pool." + name).tag("server", "127.0.0.1:" + server.port()).meter().measure()
                .iterator().next().getValue();
    }

    @Test
    void shouldExposeEachPoolsStatisticsTaggedByServer() {
        String uri = server.uri("poolMaxTotal=2");
        send(uri, RCPT);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SmtpPoolMeterBinder(context.getComponent("smtp-pool", SmtpPoolComponent.class)).bindTo(registry);
        send(uri, RCPT);
        server.once("MAIL FROM", "421 4.3.2 Closing");
        send(uri, RCPT);

        assertThat(value(registry, "connections.opened")).isEqualTo(1);
        assertThat(value(registry, "connections.reused")).isEqualTo(2);
        assertThat(value(registry, "connections.borrowed")).isEqualTo(3);
        assertThat(value(registry, "connections.invalidated")).isEqualTo(1);
        assertThat(value(registry, "connections.destroyed")).isEqualTo(1);
        assertThat(value(registry, "connections.evicted")).isZero();
        assertThat(value(registry, "connections.active")).isZero();
        assertThat(value(registry, "connections.idle")).isZero();
        assertThat(value(registry, "waiters")).isZero();
        assertThat(value(registry, "connections.max")).as("poolMaxTotal").isEqualTo(2);
        FunctionTimer wait = registry.get("smtp.pool.borrow.wait").tag("server", "127.0.0.1:" + server.port())
                .functionTimer();
        assertThat(wait.count()).isEqualTo(3);
        assertThat(wait.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.get("smtp.pool.borrow.wait.max").timeGauge()).isNotNull();
    }

    @Test
    void shouldAddMetersForAServerReachedAfterBinding() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SmtpPoolMeterBinder(context.getComponent("smtp-pool", SmtpPoolComponent.class)).bindTo(registry);
        assertThat(registry.find("smtp.pool.connections.opened").meters()).isEmpty();

        send(server.uri(""), RCPT);

        assertThat(value(registry, "connections.opened")).isEqualTo(1);
        assertThat(value(registry, "connections.idle")).isEqualTo(1);
    }
}
