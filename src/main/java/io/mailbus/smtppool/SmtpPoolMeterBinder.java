package io.mailbus.smtppool;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Exposes the connection pools of an {@code smtp-pool} component to Micrometer, one set of meters per server tagged
 * {@code server=host:port} (pools of one server that differ in encryption or user are summed):
 * <ul>
 * <li>function counters {@code smtp.pool.connections.opened}, {@code .reused}, {@code .borrowed},
 * {@code .invalidated}, {@code .evicted}, {@code .destroyed};</li>
 * <li>gauges {@code smtp.pool.connections.active}, {@code .idle}, {@code .max} (how many may be open now: below
 * poolMaxTotal while the server refuses more) and {@code smtp.pool.waiters};</li>
 * <li>a function timer {@code smtp.pool.borrow.wait} (every borrow and the time spent in it) and a time gauge
 * {@code smtp.pool.borrow.wait.max}.</li>
 * </ul>
 * Servers reached after binding (e.g. by {@code toD}) get their meters when their first pool is made. The meters
 * read the component, not a pool, so they survive a pool being closed and made again.
 */
public class SmtpPoolMeterBinder implements MeterBinder {

    static final String PREFIX = "smtp.pool.";

    private final SmtpPoolComponent component;

    public SmtpPoolMeterBinder(SmtpPoolComponent component) {
        this.component = component;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        component.onServerAdded(server -> bindServer(registry, server));
        component.servers().forEach(server -> bindServer(registry, server));
    }

    private void bindServer(MeterRegistry registry, String server) {
        Tags tags = Tags.of("server", server);
        // not "connections.created": Prometheus reserves the _created suffix and would publish it as smtp_pool_connections_total
        counter(registry, "connections.opened", "Connections opened", server, tags, SmtpPoolStatistics::created);
        counter(registry, "connections.reused", "Borrows of a connection that had already carried a message", server,
                tags, SmtpPoolStatistics::reused);
        counter(registry, "connections.borrowed", "Successful borrows", server, tags, SmtpPoolStatistics::borrowed);
        counter(registry, "connections.invalidated", "Connections closed because they broke (421, timeout, I/O)",
                server, tags, SmtpPoolStatistics::invalidated);
        counter(registry, "connections.evicted", "Connections closed in the background as idle or over age", server,
                tags, SmtpPoolStatistics::evicted);
        counter(registry, "connections.destroyed", "Connections closed for any reason", server, tags,
                SmtpPoolStatistics::destroyed);
        gauge(registry, "connections.active", "Connections lent out now", server, tags, SmtpPoolStatistics::active);
        gauge(registry, "connections.idle", "Connections idle in the pool now", server, tags, SmtpPoolStatistics::idle);
        gauge(registry, "connections.max", "Connections the pool may open now; below poolMaxTotal while the server "
                                           + "refuses more (421 too many connections)", server, tags,
              SmtpPoolStatistics::maxTotal);
        gauge(registry, "waiters", "Sends waiting for a free connection now", server, tags,
              SmtpPoolStatistics::waiting);
        FunctionTimer.builder(PREFIX + "borrow.wait", component, c -> sum(c, server, SmtpPoolStatistics::borrowAttempts),
                              c -> sum(c, server, SmtpPoolStatistics::totalWaitNanos), TimeUnit.NANOSECONDS)
                .description("Borrows and the time spent in them, waiting for or opening a connection")
                .tags(tags).register(registry);
        TimeGauge.builder(PREFIX + "borrow.wait.max", component, TimeUnit.MILLISECONDS,
                          c -> max(c, server, SmtpPoolStatistics::maxWaitMillis))
                .description("The longest successful borrow so far").tags(tags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, String server, Tags tags,
                         ToLongFunction<SmtpPoolStatistics> value) {
        FunctionCounter.builder(PREFIX + name, component, c -> sum(c, server, value))
                .description(description).tags(tags).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String server, Tags tags,
                       ToLongFunction<SmtpPoolStatistics> value) {
        Gauge.builder(PREFIX + name, component, (ToDoubleFunction<SmtpPoolComponent>) c -> sum(c, server, value))
                .description(description).tags(tags).register(registry);
    }

    private static long sum(SmtpPoolComponent c, String server, ToLongFunction<SmtpPoolStatistics> value) {
        List<SmtpConnectionPool> pools = c.poolsOf(server);
        long total = 0;
        for (SmtpConnectionPool p : pools) {
            total += value.applyAsLong(p.statistics());
        }
        return total;
    }

    private static long max(SmtpPoolComponent c, String server, ToLongFunction<SmtpPoolStatistics> value) {
        long most = 0;
        for (SmtpConnectionPool p : c.poolsOf(server)) {
            most = Math.max(most, value.applyAsLong(p.statistics()));
        }
        return most;
    }
}
