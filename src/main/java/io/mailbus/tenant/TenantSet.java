package io.mailbus.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
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
    private final Map<String, KeyHash> keys = new HashMap<>();

    TenantSet(Map<String, Tenant> byId, List<KeyHash> keys) {
        this.byId = Map.copyOf(byId);
        for (KeyHash k : keys) {
            this.keys.put(HexFormat.of().formatHex(k.sha256()), k);
        }
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
     * The tenant whose key this is, or null. The presented key is hashed, the hash looked up, and the stored hash
     * compared with it in constant time. Looking up by hash rather than comparing with every stored one keeps the cost
     * flat however many keys there are (a scan of 1,000 took a quarter of a millisecond per request); what the lookup's
     * timing can tell is only where the SHA-256 of the attacker's own guess falls, which gives no handle on a key:
     * turning a hash back into a key is the preimage problem.
     */
    Tenant authenticate(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        KeyHash k = keys.get(HexFormat.of().formatHex(presented));
        return k != null && MessageDigest.isEqual(k.sha256(), presented) ? k.tenant() : null;
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
