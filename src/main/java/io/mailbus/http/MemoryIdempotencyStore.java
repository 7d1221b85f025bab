package io.mailbus.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.support.LRUCacheFactory;

/** Keys of this instance only, the most recent {@code maxKeys}: for a single instance without a database. */
final class MemoryIdempotencyStore implements IdempotencyStore {

    private record Held(Entry entry, Instant createdAt) {
    }

    private final Map<String, Held> entries;

    MemoryIdempotencyStore(int maxKeys) {
        this.entries = LRUCacheFactory.newLRUCache(maxKeys);
    }

    @Override
    public synchronized Entry reserve(String key, byte[] bodySha256, Instant now, Duration ttl) {
        Held held = entries.get(key);
        if (held != null && held.createdAt().plus(ttl).isAfter(now)) {
            return held.entry();
        }
        entries.put(key, new Held(new Entry(bodySha256, null, null), now));
        return null;
    }

    @Override
    public synchronized void complete(String key, int status, String response) {
        Held held = entries.get(key);
        if (held != null) {
            entries.put(key, new Held(new Entry(held.entry().bodySha256(), status, response), held.createdAt()));
        }
    }

    @Override
    public synchronized void release(String key) {
        Held held = entries.get(key);
        if (held != null && !held.entry().done()) {
            entries.remove(key);
        }
    }
}
