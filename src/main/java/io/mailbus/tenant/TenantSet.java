package io.mailbus.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * One reading of the tenants file: the tenants by id and the SHA-256 of every API key with its tenant. Immutable, so
 * a reload swaps the whole set at once and a request sees either the old keys or the new ones, never a mix.
 */
final class TenantSet {

    /** One API key, as its SHA-256 only. */
    record KeyHash(byte[] sha256, Tenant tenant) {
    }

    private final Map<String, Tenant> byId;
    private final List<KeyHash> keys;

    TenantSet(Map<String, Tenant> byId, List<KeyHash> keys) {
        this.byId = Map.copyOf(byId);
        this.keys = List.copyOf(keys);
    }

    Tenant byId(String id) {
        return id == null ? null : byId.get(id);
    }

    Map<String, Tenant> all() {
        return byId;
    }

    int keyCount() {
        return keys.size();
    }

    /**
     * The tenant whose key this is, or null. The presented key is hashed and compared with every stored hash in
     * constant time, without an early exit, so the time taken tells neither which key matched nor how much of it.
     */
    Tenant authenticate(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        Tenant found = null;
        for (KeyHash k : keys) {
            if (MessageDigest.isEqual(k.sha256(), presented)) {
                found = k.tenant();
            }
        }
        return found;
    }

    static byte[] sha256(String key) {
        return sha256Bytes(key.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256Bytes(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
