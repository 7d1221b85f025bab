package io.mailbus.tenant;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code mailbus:tenants} in {@code /observe/health}: DOWN while the tenants file on disk could not be loaded (the
 * last good one is in force, the message says why and since when), UP otherwise. Neither readiness nor liveness:
 * the edge keeps serving with the last good tenants, and a restart would not fix the file (it would refuse to start).
 */
public final class TenantsHealthCheck extends AbstractHealthCheck {

    private final Tenants tenants;

    public TenantsHealthCheck(Tenants tenants) {
        super("mailbus", "tenants");
        this.tenants = tenants;
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
        Tenants.Status s = tenants.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tenants.file", String.valueOf(s.file()));
        details.put("tenants.enabled", s.enabled());
        details.put("tenants.count", s.tenants());
        if (s.loadedAt() != null) {
            details.put("tenants.loaded.at", s.loadedAt().toString());
        }
        builder.details(details);
        if (s.error() != null) {
            details.put("tenants.failed.at", s.failedAt().toString());
            builder.message("tenants file not loaded: " + s.error()).down();
        } else {
            builder.message(s.enabled() ? "tenants file loaded" : "no tenants file: one tenant for all").up();
        }
    }
}
