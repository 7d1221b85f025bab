package io.mailbus.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.mailbus.MailbusHeaders;
import io.mailbus.tenant.Tenant;
import io.mailbus.tenant.Tenants;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API-key gate of the HTTP edge: {@code Authorization: Bearer <key>} against the tenants file's key hashes (the
 * key's tenant becomes the request's, {@link MailbusHeaders#TENANT_PROPERTY}, and its token bucket is charged: 429
 * when empty) or, without a tenants file, against the plain keys of {@code mailbus.api.keys}. Keys are compared in
 * constant time and never logged; the header is removed once checked so it cannot travel on to the queue.
 */
public class ApiKeyAuthenticator implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthenticator.class);
    private static final String BEARER = "bearer ";

    private final List<byte[]> keys;
    private final boolean enabled;
    private final Tenants tenants;

    /**
     * @param keys    comma-separated keys; blanks are ignored
     * @param enabled false only for the dev runner: every request passes, and a warning says so
     */
    public ApiKeyAuthenticator(String keys, boolean enabled) {
        this(keys, enabled, null);
    }

    /** @param tenants when {@link Tenants#enabled()}, the only keys taken are the tenants file's */
    public ApiKeyAuthenticator(String keys, boolean enabled, Tenants tenants) {
        this.tenants = tenants;
        this.keys = Arrays.stream(Objects.requireNonNullElse(keys, "").split(","))
                .map(String::trim)
                .filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .toList();
        this.enabled = enabled;
        if (!enabled) {
            LOG.warn("*** API KEY CHECK IS DISABLED (mailbus.api.auth-enabled=false): ANYONE WHO REACHES THE HTTP PORT "
                     + "CAN SEND MAIL. This is for the dev runner only. ***");
        } else if (tenants != null && tenants.enabled()) {
            if (!this.keys.isEmpty()) {
                LOG.warn("A tenants file is in use: the keys of mailbus.api.keys are not accepted (move them to a tenant)");
            }
        } else if (this.keys.isEmpty()) {
            LOG.warn("No API keys configured (mailbus.api.keys): every HTTP request will be answered 401");
        }
    }

    @Override
    public void process(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        if (enabled && tenants != null && tenants.enabled()) {
            String key = bearer(authorization);
            Tenant tenant = key == null ? null : tenants.authenticate(key);
            if (tenant == null) {
                throw new ApiKeyRejectedException();
            }
            exchange.setProperty(MailbusHeaders.TENANT_PROPERTY, tenant.id());
            exchange.setProperty(MailbusHeaders.CALLER_PROPERTY, CallerScope.digest(authorization));
            long wait = tenants.acquire(tenant);
            if (wait > 0) {
                throw new RateLimitedException(wait);
            }
            return;
        }
        if (!isAuthorized(authorization)) {
            throw new ApiKeyRejectedException();
        }
        exchange.setProperty(MailbusHeaders.CALLER_PROPERTY, CallerScope.digest(authorization));
    }

    /** The key of {@code Bearer <key>}, or null. */
    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = authorization.substring(BEARER.length()).trim();
        return key.isEmpty() ? null : key;
    }

    boolean isAuthorized(String authorization) {
        if (!enabled) {
            return true;
        }
        String given = bearer(authorization);
        if (given == null) {
            return false;
        }
        byte[] presented = given.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            // no early exit: the time taken does not tell which key, or how much of it, matched
            match |= MessageDigest.isEqual(key, presented);
        }
        return match;
    }
}
