package io.mailbus.http;

import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.time.Clock;
import java.util.List;

import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.SpooledJson;
import io.mailbus.request.ValidationError;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP {@code Idempotency-Key}: a client that did not see our answer (a timeout, a dropped connection) sends
 * the same request again with the same key and gets the original answer (status and body), and nothing is queued
 * twice. The same key with a different body is a client bug and gets 409; so does a repeat while the first is still
 * being queued. A failed attempt (400, 503) releases its key so the client can try again.
 *
 * <p>A key belongs to the API key that used it: another caller's same key is another key. Keys live in an
 * {@link IdempotencyStore} for {@code mailbus.http.idempotency.ttl}: PostgreSQL, shared by every instance behind a
 * load balancer, or one instance's memory.
 */
public class IdempotencyKeys {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);
    static final String HEADER = "Idempotency-Key";
    private static final String PROPERTY = "mailbusIdempotencyKey";
    private static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyStore store;
    private final Duration ttl;
    private final Clock clock;

    public IdempotencyKeys(IdempotencyStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
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
        Object body = exchange.getMessage().getBody();
        // a large body is digested from its spool file, never read into the heap
        byte[] hash = body instanceof SpooledJson spooled ? sha256(spooled.file())
                : sha256(exchange.getMessage().getBody(byte[].class));
        key = scoped(exchange, key);
        IdempotencyStore.Entry existing = store.reserve(key, hash, clock.instant(), ttl);
        if (existing == null) {
            exchange.setProperty(PROPERTY, key);
            return;
        }
        if (!Arrays.equals(existing.bodySha256(), hash)) {
            throw new IdempotencyConflictException("idempotency_key_reused",
                    "this Idempotency-Key was used with a different request body");
        }
        if (!existing.done()) {
            throw new IdempotencyConflictException("idempotency_key_in_progress",
                    "a request with this Idempotency-Key is still being queued; retry shortly");
        }
        JsonReplies.write(exchange, existing.status() != null ? existing.status() : 202, existing.response());
        exchange.getMessage().setHeader("Idempotent-Replayed", "true");
        exchange.setRouteStop(true);
    }

    /**
     * After the answer is written: a 202 is what the key answers with from now on; anything else (a batch none of
     * whose elements was accepted) releases it, so the client may try again. The request is queued by now, so a store
     * that fails here does not turn the answer into an error; the key then stays "in progress" until it expires.
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
        try {
            store.complete(key, status != null ? status : 202, exchange.getMessage().getBody(String.class));
        } catch (RuntimeException e) {
            LOG.warn("Idempotency-Key answer not stored (repeats get 409 until it expires): {}", String.valueOf(e.getCause()));
        }
    }

    /** The request failed before it was queued: the client may use the key again. */
    public void release(Exchange exchange) {
        String key = exchange.getProperty(PROPERTY, String.class);
        if (key != null) {
            try {
                store.release(key);
            } catch (RuntimeException e) {
                LOG.warn("Idempotency-Key not released (repeats get 409 until it expires): {}", String.valueOf(e.getCause()));
            }
        }
    }

    /**
     * The key as the caller's own: two API keys that happen to (or try to) use the same Idempotency-Key never see each
     * other's answer or block each other with a 409.
     */
    private static String scoped(Exchange exchange, String key) {
        return CallerScope.ofApiKey(exchange) + ":" + key;
    }

    private static byte[] sha256(java.nio.file.Path file) {
        try (DigestInputStream in = new DigestInputStream(java.nio.file.Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return in.getMessageDigest().digest();
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the request body", e);
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
