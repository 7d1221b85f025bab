package io.mailbus.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.mailbus.MailbusHeaders;
import org.apache.camel.Exchange;

/**
 * Whose data an HTTP caller may see: its tenant when the tenants file gives it one ({@link MailbusHeaders#TENANT_PROPERTY}),
 * else its API key. Idempotency-Keys are always the API key's own; message status is the tenant's once there are
 * tenants, the API key's until then.
 */
public final class CallerScope {

    private CallerScope() {
    }

    /** "key:" and 32 hex digits of the API key's SHA-256 ("key:anonymous" with the API-key check off). */
    public static String ofApiKey(Exchange exchange) {
        String caller = exchange.getProperty(MailbusHeaders.CALLER_PROPERTY, String.class);
        return "key:" + (caller != null ? caller : "anonymous");
    }

    /** The tenant when there is one, else {@link #ofApiKey}. */
    public static String of(Exchange exchange) {
        String tenant = tenant(exchange);
        return tenant != null ? "tenant:" + tenant : ofApiKey(exchange);
    }

    /** The caller's tenant, or null when tenants are not configured. */
    public static String tenant(Exchange exchange) {
        // the property only: the authenticator sets it from the API key, while a header could come from the caller
        return exchange.getProperty(MailbusHeaders.TENANT_PROPERTY, String.class);
    }

    /** Of the key alone, so "Bearer k" and "bearer k" are one caller. */
    static String digest(String authorization) {
        String key = authorization == null ? "" : authorization.trim();
        if (key.regionMatches(true, 0, "bearer ", 0, 7)) {
            key = key.substring(7).trim();
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
