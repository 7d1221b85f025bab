package io.mailbus.routing;

import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One server's circuit, {@code smtp-circuit:<name>}: DOWN while it is open (or trying one attempt, half-open), with
 * when it opened and where its requests go. It is neither a readiness nor a liveness check, so it shows in
 * {@code /observe/health} but never in {@code /observe/health/ready}: the HTTP edge and the bus keep accepting while
 * a server rests, because the requests wait in the broker.
 */
final class ServerCircuitHealthCheck extends AbstractHealthCheck {

    static final String GROUP = "smtp-circuit";

    private final String server;
    private final ServerCircuit circuit;
    private final String fallback;

    ServerCircuitHealthCheck(String server, ServerCircuit circuit, String fallback) {
        super(GROUP, GROUP + ":" + server);
        this.server = server;
        this.circuit = circuit;
        this.fallback = fallback;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CircuitBreaker.State state = circuit.state();
        builder.detail("server", server);
        builder.detail("circuit", state.name());
        if (state == CircuitBreaker.State.CLOSED) {
            builder.up().message("SMTP server " + server + ": circuit closed");
            return;
        }
        builder.detail("openedAt", circuit.openedAt().toString());
        builder.detail("openFor", circuit.openFor().toString());
        String whereTo = fallback != null ? "its requests go to " + fallback
                : "its requests wait in the broker without spending attempts";
        if (fallback != null) {
            builder.detail("fallback", fallback);
        }
        builder.down().message("SMTP server " + server + ": circuit " + state.name().toLowerCase(java.util.Locale.ROOT)
                               + " after repeated connection failures; " + whereTo);
    }
}
