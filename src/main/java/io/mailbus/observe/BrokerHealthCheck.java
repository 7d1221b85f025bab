package io.mailbus.observe;

import java.util.Map;

import jakarta.jms.Connection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: "can this instance accept a request", which needs the broker every accepted request is queued on. Opens
 * and closes one Artemis connection per call (a health probe every few seconds costs that much), with short timeouts
 * so a dead broker answers DOWN in seconds rather than hanging the probe. Not a liveness check: restarting Mailbus
 * does not bring a broker back.
 *
 * <p>Other stores an accepted request depends on (a database) add a readiness check of their own the same way; the
 * readiness endpoint is DOWN while any readiness check is.
 */
public final class BrokerHealthCheck extends AbstractHealthCheck {

    private final ActiveMQConnectionFactory factory;
    private final String url;

    public BrokerHealthCheck(ActiveMQConnectionFactory factory, String url) {
        super("mailbus", "broker");
        this.factory = factory;
        this.url = url;
        factory.setCallTimeout(3_000);
        factory.setInitialConnectAttempts(1);
        factory.setReconnectAttempts(0);
        factory.setClientFailureCheckPeriod(3_000);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("url", url);
        try (Connection c = factory.createConnection()) {
            c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE).close();
            builder.up();
        } catch (Exception e) {
            builder.message("the broker does not answer: requests cannot be queued").error(e).down();
        }
    }
}
