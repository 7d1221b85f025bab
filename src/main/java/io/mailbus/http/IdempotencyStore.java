package io.mailbus.http;

import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

/**
 * Where {@link IdempotencyKeys} keeps each caller's keys: in this instance's memory, or in PostgreSQL so that every
 * instance behind a load balancer sees the same keys.
 */
public interface IdempotencyStore {

    /** What a key holds: the body it was first used with and, once that request was queued, the answer it got. */
    record Entry(byte[] bodySha256, Integer status, String response) {
        boolean done() {
            return response != null;
        }
    }

    /**
     * Reserves {@code key} for this request unless an entry younger than {@code ttl} holds it: null when reserved
     * (atomically: of two concurrent callers exactly one gets null), else the entry that holds it.
     */
    Entry reserve(String key, byte[] bodySha256, Instant now, Duration ttl);

    /** The reserved key now answers with this. */
    void complete(String key, int status, String response);

    /** A reservation whose request failed before it was queued: the key is free again. Finished keys stay. */
    void release(String key);

    static IdempotencyStore inMemory(int maxKeys) {
        return new MemoryIdempotencyStore(maxKeys);
    }

    static IdempotencyStore postgres(DataSource dataSource) {
        return new JdbcIdempotencyStore(dataSource);
    }
}
