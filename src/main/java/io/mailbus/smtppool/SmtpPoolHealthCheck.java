package io.mailbus.smtppool;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The state of one SMTP server ({@code host:port}), in group {@value #GROUP} with id {@code smtp-pool:host:port}:
 * it opens a connection outside the pool (connect, EHLO, STARTTLS, AUTH, optionally VRFY) and closes it with QUIT.
 * The result is cached for healthCheckCacheTime so polling does not hammer the server. Details carry the failing
 * command and the server's reply, never credentials. It is reported in {@code /observe/health} but is neither a
 * readiness check (while a server is down requests wait on the broker and are retried, so the edge that queues them
 * stays in service) nor a liveness check (restarting Mailbus does not bring a mail server back).
 */
final class SmtpPoolHealthCheck extends AbstractHealthCheck {

    static final String GROUP = "smtp-pool";

    private final String server;
    private final Supplier<List<SmtpConnectionPool>> pools;
    private final long cacheNanos;
    private Outcome last;
    private long lastAt;

    /** One probe's result, replayed into every call while it is fresh. */
    private record Outcome(HealthCheck.State state, String message, Map<String, Object> details, Throwable error) {
    }

    SmtpPoolHealthCheck(String server, Supplier<List<SmtpConnectionPool>> pools, long cacheMillis) {
        super(GROUP, id(server));
        this.server = server;
        this.pools = pools;
        this.cacheNanos = Math.max(0, cacheMillis) * 1_000_000L;
    }

    static String id(String server) {
        return GROUP + ":" + server;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Outcome o = refusedSetup().orElseGet(this::current);
        builder.state(o.state()).message(o.message()).details(o.details());
        if (o.error() != null) {
            builder.error(o.error());
        }
    }

    /**
     * DOWN while the last send to one of the server's pools was refused for our set-up and none was accepted since:
     * requests then wait on the dead-letter queue to be replayed, and operators must hear of it at once, not after
     * the cached probe (which connects, greets and logs in but sends no MAIL FROM) expires.
     */
    private java.util.Optional<Outcome> refusedSetup() {
        for (SmtpConnectionPool pool : pools.get()) {
            SmtpConfigurationException e = pool.refusedSetup();
            if (e != null) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("server", server);
                details.put("failed.command", e.getCommand());
                putReply(details, "smtp.", new SmtpReply(e.getCommand(), e.getReplyCode(), e.getEnhancedCode(),
                                                         e.getServerText()));
                return java.util.Optional.of(new Outcome(HealthCheck.State.DOWN, "SMTP server " + server
                        + " refuses our set-up (" + e.getMessage() + "): requests are kept on the dead-letter queue"
                        + " until it is fixed and they are replayed", Map.copyOf(details), e));
            }
        }
        return java.util.Optional.empty();
    }

    private synchronized Outcome current() {
        long now = System.nanoTime();
        if (last == null || now - lastAt >= cacheNanos) {
            last = probeAll();
            lastAt = System.nanoTime();
        }
        return last;
    }

    private Outcome probeAll() {
        List<SmtpConnectionPool> servers = pools.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("server", server);
        details.put("checkedAt", Instant.now().toString());
        if (servers.isEmpty()) {
            return new Outcome(HealthCheck.State.UNKNOWN, "No connection pool for " + server, details, null);
        }
        HealthCheck.State state = HealthCheck.State.UP;
        String message = "SMTP server " + server + " accepts connections";
        Throwable error = null;
        for (int i = 0; i < servers.size(); i++) {
            SmtpConnectionPool pool = servers.get(i);
            String prefix = servers.size() == 1 ? "" : "pool" + (i + 1) + ".";
            details.put(prefix + "encryption", pool.key().encryption().name().toLowerCase(Locale.ROOT));
            try {
                SmtpReply vrfy = pool.probe();
                if (vrfy != null) {
                    putReply(details, prefix + "vrfy.", vrfy);
                    boolean verified = vrfy.code() >= 250 && vrfy.code() <= 252;
                    if (!verified && pool.configuration().isHealthCheckVrfyRequired()) {
                        state = HealthCheck.State.DOWN;
                        message = "SMTP server " + server + " did not verify the sender: " + vrfy.text();
                    }
                }
            } catch (SmtpDeliveryException e) {
                state = HealthCheck.State.DOWN;
                message = "SMTP server " + server + " is not usable: " + e.getMessage();
                error = e;
                details.put(prefix + "failed.command", e.getCommand());
                details.put(prefix + "transient", e.isTransient());
                putReply(details, prefix + "smtp.", new SmtpReply(e.getCommand(), e.getReplyCode(),
                                                                  e.getEnhancedCode(), e.getServerText()));
            }
        }
        return new Outcome(state, message, Map.copyOf(details), error);
    }

    private static void putReply(Map<String, Object> details, String prefix, SmtpReply reply) {
        details.put(prefix + "code", reply.code());
        if (reply.enhancedCode() != null) {
            details.put(prefix + "enhancedCode", reply.enhancedCode());
        }
        if (reply.text() != null) {
            details.put(prefix + "text", reply.text());
        }
    }
}
