package io.mailbus.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.ValidationError;
import org.apache.camel.Exchange;
import org.apache.camel.support.LRUCacheFactory;

/**
 * HTTP {@code Idempotency-Key}: a client that did not see our answer (a timeout, a dropped connection) sends
 * the same request again with the same key and gets the original 202, and nothing is queued twice. The same
 * key with a different body is a client bug and gets 409; so does a repeat while the first is still being
 * queued. A failed attempt (400, 503) releases its key so the client can try again.
 *
 * <p>A key belongs to the API key that used it: another caller's same key is another key. Keys live in memory,
 * bounded in number and age; several instances behind a load balancer need sticky
 * routing by key for this to hold across them (the delivery side's request-id check still stops a second
 * delivery, see {@code mailbus.idempotency.store}).
 */
public class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    private static final String PROPERTY = "mailbusIdempotencyKey";
    private static final int MAX_KEY_LENGTH = 255;

    private record Entry(byte[] bodyHash, long createdAt, String response) {
        boolean done() {
            return response != null;
        }
    }

    private final Map<String, Entry> entries;
    private final long ttlMillis;

    public IdempotencyKeys(int maxKeys, Duration ttl) {
        this.entries = LRUCacheFactory.newLRUCache(maxKeys);
        this.ttlMillis = ttl.toMillis();
    }

    /** Before anything is queued: replays a finished request, refuses a conflicting one, or reserves the key. */
    public void check(Exchange exchange) {
        String key = exchange.getMessage().getHeader(HEADER, String.class);
        if (key == null) {
            return;
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidSendRequestException(List.of(new ValidationError(HEADER, "invalid_idempotency_key",
                    "1 to " + MAX_KEY_LENGTH + " printable ASCII characters without spaces")));
        }
        byte[] hash = sha256(exchange.getMessage().getBody(byte[].class));
        key = scoped(exchange, key);
        long now = System.currentTimeMillis();
        Entry mine = new Entry(hash, now, null);
        Entry existing;
        synchronized (entries) {
            existing = entries.get(key);
            if (existing != null && now - existing.createdAt() > ttlMillis) {
                existing = null;
            }
            if (existing == null) {
                entries.put(key, mine);
            }
        }
        if (existing == null) {
            exchange.setProperty(PROPERTY, key);
            return;
        }
        if (!Arrays.equals(existing.bodyHash(), hash)) {
            throw new IdempotencyConflictException("idempotency_key_reused",
                    "this Idempotency-Key was used with a different request body");
        }
        if (!existing.done()) {
            throw new IdempotencyConflictException("idempotency_key_in_progress",
                    "a request with this Idempotency-Key is still being queued; retry shortly");
        }
        JsonReplies.write(exchange, 202, existing.response());
        exchange.getMessage().setHeader("Idempotent-Replayed", "true");
        exchange.setRouteStop(true);
    }

    /**
     * After the answer is written: a 202 is what the key answers with from now on; anything else (a batch none of
     * whose elements was accepted) releases it, so the client may try again.
     */
    public void complete(Exchange exchange) {
        String key = exchange.getProperty(PROPERTY, String.class);
        if (key == null) {
            return;
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status != 202) {
            release(exchange);
            return;
        }
        String response = exchange.getMessage().getBody(String.class);
        synchronized (entries) {
            Entry pending = entries.get(key);
            if (pending != null) {
                entries.put(key, new Entry(pending.bodyHash(), pending.createdAt(), response));
            }
        }
    }

    /** The request failed before it was queued: the client may use the key again. */
    public void release(Exchange exchange) {
        String key = exchange.getProperty(PROPERTY, String.class);
        if (key != null) {
            synchronized (entries) {
                Entry e = entries.get(key);
                if (e != null && !e.done()) {
                    entries.remove(key);
                }
            }
        }
    }

    /**
     * The key as the caller's own: two API keys that happen to (or try to) use the same Idempotency-Key never see each
     * other's 202 or block each other with a 409. The caller is the SHA-256 of its Authorization header, never the
     * key itself.
     */
    private static String scoped(Exchange exchange, String key) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        byte[] caller = sha256(authorization == null ? new byte[0]
                : authorization.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(caller, 0, 16) + ":" + key;
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
