package io.mailbus.observe;

import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness, beside {@link BrokerHealthCheck}: the HTTP edge answers an {@code Idempotency-Key} and records who owns a
 * request in PostgreSQL before it queues it, so without the database it cannot accept. Takes a pooled connection and
 * asks it {@code isValid} (a round trip, bounded to 3 s). Not liveness: a restart does not bring a database back.
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private final DataSource dataSource;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("mailbus", "database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(3)) {
                builder.up();
            } else {
                builder.message("the database does not answer").down();
            }
        } catch (Exception e) {
            // the driver's message names host and port, never the password
            builder.message("the database does not answer: requests cannot be accepted").error(e).down();
        }
    }
}
