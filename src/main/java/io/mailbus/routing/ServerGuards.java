package io.mailbus.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.mailbus.MailbusHeaders;
import io.mailbus.outcome.AttemptObserver;
import io.mailbus.outcome.ServerDeferredException;
import org.apache.camel.Exchange;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each named SMTP server may take now: its sending rate ({@link SendingRate}, per second and per minute), its
 * circuit ({@link ServerCircuit}) and its fallback. The delivery flow asks {@link #admit} right before the send; a
 * server that cannot take the request throws {@link ServerDeferredException}, and the request waits in the broker
 * (Artemis scheduled delivery on the retry queue) as the same attempt: no thread sleeps, no retry is spent. With
 * an open circuit and a fallback that is not open itself, the attempt goes to the fallback instead. The limits are
 * per application instance: two instances sending through one mailbox each keep the whole rate.
 */
public class ServerGuards implements AttemptObserver {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.routing");

    private final SmtpServers servers;
    private final Map<String, Guard> guards = new LinkedHashMap<>();
    private final Clock clock;

    /** One server's limits; any part may be absent. */
    static final class Guard {
        final String server;
        final List<SendingRate> rates = new ArrayList<>();
        final ServerCircuit circuit;
        final String fallback;
        /** When the requests told to wait for a rate slot come back, those still to come. */
        private final ArrayDeque<Instant> waiting = new ArrayDeque<>();

        Guard(String server, List<SendingRate> rates, ServerCircuit circuit, String fallback) {
            this.server = server;
            this.rates.addAll(rates);
            this.circuit = circuit;
            this.fallback = fallback;
        }

        /** Empty when the message may go now (and is counted); else when it may. */
        synchronized Optional<Instant> takeRate(Instant now) {
            while (!waiting.isEmpty() && !waiting.peekFirst().isAfter(now)) {
                waiting.pollFirst();
            }
            if (rates.stream().allMatch(r -> r.allows(now))) {
                rates.forEach(r -> r.count(now));
                return Optional.empty();
            }
            Instant until = now;
            for (SendingRate r : rates) {
                Instant free = r.nextFree(now, waiting.size()).orElse(now);
                until = free.isAfter(until) ? free : until;
            }
            if (!until.isAfter(now)) {
                until = now.plusMillis(50);
            }
            insertSorted(until);
            return Optional.of(until);
        }

        private void insertSorted(Instant t) {
            if (waiting.isEmpty() || !t.isBefore(waiting.peekLast())) {
                waiting.addLast(t);
                return;
            }
            List<Instant> all = new ArrayList<>(waiting);
            all.add(t);
            all.sort(null);
            waiting.clear();
            waiting.addAll(all);
        }
    }

    ServerGuards(SmtpServers servers, Map<String, Guard> guards, Clock clock) {
        this.servers = servers;
        this.guards.putAll(guards);
        this.clock = clock;
    }

    /**
     * Every server's limits from {@code lookup}: {@code mailbus.smtp.server.<name>.rate-per-second},
     * {@code .rate-per-minute} (empty or 0: none), {@code .circuit.failure-threshold} and {@code .circuit.open-for}
     * (defaults {@code mailbus.smtp.circuit.*}; threshold 0: no circuit) and {@code .fallback} (another server's name).
     */
    public static ServerGuards of(SmtpServers servers, Function<String, String> lookup, Clock clock) {
        Map<String, Guard> guards = new LinkedHashMap<>();
        for (String name : servers.names()) {
            String prefix = "mailbus.smtp.server." + name + ".";
            List<SendingRate> rates = new ArrayList<>();
            int perSecond = integer(lookup, prefix + "rate-per-second", null);
            int perMinute = integer(lookup, prefix + "rate-per-minute", null);
            if (perSecond > 0) {
                rates.add(new SendingRate(perSecond, Duration.ofSeconds(1)));
            }
            if (perMinute > 0) {
                rates.add(new SendingRate(perMinute, Duration.ofMinutes(1)));
            }
            int threshold = integer(lookup, prefix + "circuit.failure-threshold", "mailbus.smtp.circuit.failure-threshold");
            String openFor = text(lookup, prefix + "circuit.open-for", "mailbus.smtp.circuit.open-for");
            ServerCircuit circuit = threshold > 0 ? new ServerCircuit(name, threshold,
                    Duration.ofMillis(TimeUtils.toMilliSeconds(openFor == null ? "30s" : openFor)), clock) : null;
            String fallback = text(lookup, prefix + "fallback", null);
            if (fallback != null && (!servers.knows(fallback) || fallback.equals(name))) {
                throw new IllegalArgumentException(prefix + "fallback names no other server: " + fallback);
            }
            if (fallback != null && circuit == null) {
                throw new IllegalArgumentException(prefix + "fallback needs a circuit (" + prefix
                        + "circuit.failure-threshold or mailbus.smtp.circuit.failure-threshold above 0): the fallback "
                        + "takes the server's requests while its circuit is open");
            }
            if (!rates.isEmpty() || circuit != null) {
                guards.put(name, new Guard(name, rates, circuit, fallback));
            }
        }
        return new ServerGuards(servers, guards, clock);
    }

    /**
     * Lets the attempt go to its server, to the fallback while the server's circuit is open, or throws
     * {@link ServerDeferredException} with the time it may come back.
     */
    public void admit(Exchange exchange) {
        String name = exchange.getProperty(MailbusHeaders.SERVER_NAME_PROPERTY, SmtpServers.DEFAULT, String.class);
        Guard g = guards.get(name);
        if (g == null) {
            return;
        }
        if (g.circuit != null && !g.circuit.tryAcquire()) {
            Guard fallback = g.fallback == null ? null : guards.get(g.fallback);
            boolean fallbackOpen = fallback != null && fallback.circuit != null && !fallback.circuit.tryAcquire();
            if (g.fallback == null || fallbackOpen) {
                throw new ServerDeferredException(name, ServerDeferredException.CIRCUIT_OPEN, g.circuit.retryAt());
            }
            LOG.debug("SMTP server {} has its circuit open: this attempt goes to its fallback {}", name, g.fallback);
            servers.reroute(exchange, g.fallback);
            g = fallback;
            if (g == null) { // the fallback has no limits of its own
                return;
            }
        }
        Optional<Instant> wait = g.takeRate(clock.instant());
        if (wait.isPresent()) {
            if (g.circuit != null) {
                g.circuit.giveBack();
            }
            throw new ServerDeferredException(g.server, ServerDeferredException.RATE_LIMITED, wait.get());
        }
        if (g.circuit != null) {
            exchange.setProperty(MailbusHeaders.CIRCUIT_PROPERTY, g.server);
        }
    }

    /** The attempt's outcome, told to the circuit that let it through. */
    @Override
    public void ended(Exchange exchange, boolean connectionFailure) {
        String circuit = exchange.getProperty(MailbusHeaders.CIRCUIT_PROPERTY, String.class);
        Guard g = circuit == null ? null : guards.get(circuit);
        if (g != null && g.circuit != null) {
            exchange.removeProperty(MailbusHeaders.CIRCUIT_PROPERTY);
            g.circuit.ended(connectionFailure);
        }
    }

    /** A health check per server with a circuit ({@link ServerCircuitHealthCheck}), to register. */
    public List<org.apache.camel.health.HealthCheck> healthChecks() {
        List<org.apache.camel.health.HealthCheck> out = new ArrayList<>();
        guards.forEach((name, g) -> {
            if (g.circuit != null) {
                out.add(new ServerCircuitHealthCheck(name, g.circuit, g.fallback));
            }
        });
        return out;
    }

    private static int integer(Function<String, String> lookup, String key, String defaultKey) {
        String v = text(lookup, key, defaultKey);
        try {
            return v == null ? 0 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number: " + v, e);
        }
    }

    private static String text(Function<String, String> lookup, String key, String defaultKey) {
        String v = lookup.apply(key);
        if ((v == null || v.isBlank()) && defaultKey != null) {
            v = lookup.apply(defaultKey);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
