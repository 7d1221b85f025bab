package io.mailbus.http;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.mailbus.db.Database;
import io.mailbus.it.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL Idempotency-Key store on a real PostgreSQL (embedded), schema by Flyway: of concurrent requests
 * with one key exactly one reserves it; the answer is what every repeat reads; an expired key is taken over, a
 * released one freed, and the expired rows go in the cleanup.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcIdempotencyStoreTest {

    private static final Duration TTL = Duration.ofHours(24);
    private HikariDataSource dataSource;
    private IdempotencyStore store;

    @BeforeAll
    void open() throws Exception {
        dataSource = Database.open(TestBrokers.newDatabase(), "", "", 20);
        store = IdempotencyStore.postgres(dataSource);
    }

    @AfterAll
    void close() {
        dataSource.close();
    }

    private static byte[] hash(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void exactlyOneOfConcurrentRequestsWithOneKeyReservesIt() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "key:abc:concurrent-" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<IdempotencyStore.Entry>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit((Callable<IdempotencyStore.Entry>) () -> {
                        go.await();
                        return store.reserve(key, hash("body"), Instant.now(), TTL);
                    }));
                }
                go.countDown();
                int reserved = 0;
                for (Future<IdempotencyStore.Entry> f : results) {
                    IdempotencyStore.Entry e = f.get(30, TimeUnit.SECONDS);
                    if (e == null) {
                        reserved++;
                    } else {
                        assertThat(e.done()).as("the others see it in progress").isFalse();
                        assertThat(e.bodySha256()).isEqualTo(hash("body"));
                    }
                }
                assertThat(reserved).as("round %d: requests that may queue", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRepeatReadsTheOriginalAnswer() {
        assertThat(store.reserve("key:abc:answered", hash("b"), Instant.now(), TTL)).isNull();
        store.complete("key:abc:answered", 202, "{\"id\":\"r1\",\"status\":\"queued\"}");

        IdempotencyStore.Entry repeat = store.reserve("key:abc:answered", hash("b"), Instant.now(), TTL);

        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.response()).isEqualTo("{\"id\":\"r1\",\"status\":\"queued\"}");
    }

    @Test
    void aReleasedKeyIsFreeAndAFinishedOneIsNot() {
        assertThat(store.reserve("key:abc:failed", hash("b"), Instant.now(), TTL)).isNull();
        store.release("key:abc:failed");
        assertThat(store.reserve("key:abc:failed", hash("b"), Instant.now(), TTL)).as("free again").isNull();
        store.complete("key:abc:failed", 202, "{}");
        store.release("key:abc:failed");
        assertThat(store.reserve("key:abc:failed", hash("b"), Instant.now(), TTL)).as("answered keys stay").isNotNull();
    }

    @Test
    void anExpiredKeyIsTakenOverAndCleanedUp() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofDays(3));
        assertThat(store.reserve("key:abc:old", hash("old"), longAgo, TTL)).isNull();
        store.complete("key:abc:old", 202, "{\"old\":true}");
        assertThat(store.reserve("key:abc:gone", hash("gone"), longAgo, TTL)).isNull();

        assertThat(store.reserve("key:abc:old", hash("new"), Instant.now(), TTL)).as("expired: taken over").isNull();

        int deleted = new io.mailbus.db.ExpiredRows(new org.apache.camel.impl.DefaultCamelContext(), dataSource,
                Duration.ofMinutes(10), java.time.Clock.systemUTC())
                .expire("http_idempotency_keys", "created_at", TTL).runOnce();
        assertThat(deleted).isEqualTo(1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT count(*) FROM http_idempotency_keys WHERE scoped_key IN "
                                    + "('key:abc:old', 'key:abc:gone')");
            rs.next();
            assertThat(rs.getInt(1)).as("the taken-over key stays, the expired one is gone").isEqualTo(1);
        }
    }
}
