package io.mailbus.smtppool;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.Endpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.StringHelper;

/**
 * Sends ready-made RFC 5322 messages over pooled SMTP connections (Angus Mail and Commons Pool). The component owns
 * one pool per server and set of connection settings ({@link ServerKey}: host, port, encryption, user, password,
 * trust, timeouts, pool sizes...), so many endpoints and {@code toD} URIs that name the same server the same way
 * share its connections and its cap, while an endpoint with other credentials or trust never borrows a connection
 * another endpoint opened. Each such pool has its own cap: endpoints that differ in settings add up at the server.
 * <p>
 * For operations, each server ({@code host:port}) gets a readiness {@link org.apache.camel.health.HealthCheck} with
 * id {@code smtp-pool:host:port} in group {@code smtp-pool} when its first pool is made, and
 * {@link SmtpPoolMeterBinder} exposes the pools' statistics to Micrometer.
 */
@Component("smtp-pool")
public class SmtpPoolComponent extends DefaultComponent {

    @Metadata(label = "advanced", description = "Default options for every endpoint of this component.")
    private SmtpPoolConfiguration configuration = new SmtpPoolConfiguration();

    private final Map<ServerKey, SmtpConnectionPool> pools = new ConcurrentHashMap<>();
    private final Map<String, SmtpPoolHealthCheck> healthChecks = new ConcurrentHashMap<>();
    private final List<Consumer<String>> serverListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService writeTimeouts;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SmtpPoolConfiguration cfg = configuration.copy();
        String hostPort = StringHelper.notEmpty(remaining, "host");
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0) {
            cfg.setHost(hostPort.substring(0, colon));
            cfg.setPort(Integer.parseInt(hostPort.substring(colon + 1)));
        } else {
            cfg.setHost(hostPort);
        }
        StringHelper.notEmpty(cfg.getHost(), "host");
        SmtpPoolEndpoint endpoint = new SmtpPoolEndpoint(uri, this, cfg);
        setProperties(endpoint, parameters);
        cfg.resolvedEncryption(); // fail on an unknown encryption name now, not on the first message
        return endpoint;
    }

    public SmtpPoolConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * Default options for every endpoint of this component.
     */
    public void setConfiguration(SmtpPoolConfiguration configuration) {
        this.configuration = configuration;
    }

    SmtpConnectionPool poolFor(SmtpPoolConfiguration cfg) {
        ServerKey key = ServerKey.of(cfg);
        SmtpConnectionPool pool = pools.computeIfAbsent(key, k -> new SmtpConnectionPool(k, cfg, getCamelContext(),
                                                                                         writeTimeouts()));
        healthChecks.computeIfAbsent(key.server(), server -> serverAdded(server, cfg));
        return pool;
    }

    /**
     * The one thread that enforces writeTimeout and the whole-reply deadline for every connection of this component:
     * each write, and each reply read, arms a task that closes the socket if it still blocks when the task fires,
     * and cancels it when it returns (cancelled tasks are removed at once, so they do not pile up).
     * <p>
     * A task that becomes the first due wakes the timer thread to re-arm its wait; with only these short-lived tasks
     * in the queue nearly every one would, several times per message (a few thousand wake-ups and context switches a
     * second under load, about a tenth of the process's CPU in the stage benchmark). A no-op tick every
     * {@value #TIMER_TICK_MILLIS} ms stays first in the queue ahead of every timeout longer than that, so arming and
     * cancelling them wakes nobody; the thread wakes twice a second instead.
     */
    private synchronized ScheduledExecutorService writeTimeouts() {
        if (writeTimeouts == null) {
            writeTimeouts = getCamelContext().getExecutorServiceManager()
                    .newScheduledThreadPool(this, "SmtpPoolTimeouts", 1);
            if (writeTimeouts instanceof ScheduledThreadPoolExecutor stpe) {
                stpe.setRemoveOnCancelPolicy(true);
            }
            writeTimeouts.scheduleWithFixedDelay(() -> { }, TIMER_TICK_MILLIS, TIMER_TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        return writeTimeouts;
    }

    private static final long TIMER_TICK_MILLIS = 500;

    /** A server's first pool: register its health check and tell the meter binders. */
    private SmtpPoolHealthCheck serverAdded(String server, SmtpPoolConfiguration cfg) {
        SmtpPoolHealthCheck check = new SmtpPoolHealthCheck(server, () -> poolsOf(server), cfg.getHealthCheckCacheTime());
        check.setCamelContext(getCamelContext());
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        if (registry != null) {
            registry.register(check);
        }
        serverListeners.forEach(l -> l.accept(server));
        return check;
    }

    /** The pools of one server ({@code host:port}), one per set of settings, in a stable order. */
    List<SmtpConnectionPool> poolsOf(String server) {
        return pools.entrySet().stream().filter(e -> e.getKey().server().equals(server))
                .sorted(Comparator.comparing(e -> e.getKey().toString())).map(Map.Entry::getValue).toList();
    }

    /** The servers ({@code host:port}) this component has pools for. */
    Set<String> servers() {
        return Set.copyOf(healthChecks.keySet());
    }

    /** Calls {@code listener} with every server that gets its first pool from now on. */
    void onServerAdded(Consumer<String> listener) {
        serverListeners.add(listener);
    }

    /** Pool statistics per pool (e.g. {@code starttls://user@smtp.example.com:587#1a2b3c4d}), for metrics. */
    public Map<String, SmtpPoolStatistics> getPoolStatistics() {
        Map<String, SmtpPoolStatistics> out = new TreeMap<>();
        pools.forEach((key, pool) -> out.put(key.toString(), pool.statistics()));
        return out;
    }

    @Override
    protected void doStop() throws Exception {
        pools.values().forEach(SmtpConnectionPool::close);
        pools.clear();
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        if (registry != null) {
            healthChecks.values().forEach(registry::unregister);
        }
        healthChecks.clear();
        synchronized (this) {
            if (writeTimeouts != null) {
                getCamelContext().getExecutorServiceManager().shutdown(writeTimeouts);
                writeTimeouts = null;
            }
        }
        super.doStop();
    }
}
