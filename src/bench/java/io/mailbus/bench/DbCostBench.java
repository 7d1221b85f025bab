package io.mailbus.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.mailbus.db.Database;
import io.mailbus.db.DeliveredIdsTable;
import io.mailbus.dev.EmbeddedDatabase;
import io.mailbus.dev.FreePorts;
import io.mailbus.http.IdempotencyStore;
import io.mailbus.status.StatusEvent;
import io.mailbus.status.StatusStore;
import io.mailbus.suppression.SuppressionList;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

/**
 * What the database costs each message, without JMH: a real PostgreSQL (embedded, on this machine), the production
 * code paths, one thread, a warm-up and then timed loops. Per delivered message Mailbus asks whether its id was
 * delivered (contains) and marks it (add); per HTTP request with an Idempotency-Key it reserves and completes the key;
 * per HTTP request it records the caller as the owner of the status; the status recorder inserts each event (two
 * for a request delivered at once), off the delivery path; each attempt reads the suppression list once.
 *
 * <p>Run: {@code mvn -q -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * -Dmdep.includeScope=test} then {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * io.mailbus.bench.DbCostBench [n]}.
 */
public final class DbCostBench {

    private static final String QUEUED = """
            {"event":"queued","id":"%s","ingress":"http","attempt":1,"timestamp":"%s",            "recipients":[{"address":"a@example.com","status":"pending"}]}""";
    private static final String DELIVERED = """
            {"event":"delivered","id":"%s","messageId":"<%s@mailbus.local>","ingress":"http","attempt":1,            "timestamp":"%s","recipients":[{"address":"a@example.com","status":"accepted"}],"smtpCode":250}""";

    private DbCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(FreePorts.next(), null);
             HikariDataSource ds = Database.open(db.database("bench"), "", "", 4)) {
            JdbcMessageIdRepository delivered = DeliveredIdsTable.repository(ds);
            delivered.start();
            IdempotencyStore keys = IdempotencyStore.postgres(ds);
            StatusStore status = StatusStore.postgres(ds);
            SuppressionList suppressions = SuppressionList.postgres(ds);
            int listed = 10_000;
            for (int i = 0; i < listed; i++) {
                suppressions.add("", new SuppressionList.Entry("gone" + i + "@example.com", "hard_bounce", 550, "5.1.1",
                        "550 5.1.1 unknown", "r" + i, null));
            }
            for (int round = 0; round < 2; round++) {
                String label = round == 0 ? "warm-up" : "measured";
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    String id = UUID.randomUUID() + ":0123456789abcdef01234567";
                    if (!delivered.contains(id)) {
                        delivered.add(id);
                    }
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    String key = "key:0123456789abcdef0123456789abcdef:" + UUID.randomUUID();
                    keys.reserve(key, key.getBytes(StandardCharsets.UTF_8), Instant.now(), Duration.ofHours(24));
                    keys.complete(key, 202, "{\"id\":\"" + key + "\",\"status\":\"queued\"}");
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    String id = UUID.randomUUID().toString();
                    status.claim(id, "key:0123456789abcdef0123456789abcdef");
                }
                long t3 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    String id = UUID.randomUUID().toString();
                    status.record(List.of(StatusEvent.parse(QUEUED.formatted(id, Instant.now())),
                            StatusEvent.parse(DELIVERED.formatted(id, id, Instant.now()))));
                }
                long t4 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    suppressions.suppressed("", List.of("a" + i + "@example.com", "b" + i + "@example.com"));
                }
                long t5 = System.nanoTime();
                System.out.printf(Locale.ROOT, "%s: delivered id check+mark %.0f us/message; Idempotency-Key "
                                  + "reserve+complete %.0f us/request; status owner claim %.0f us/HTTP request; "
                                  + "status recording (queued + delivered events, one transaction) %.0f us/message; suppression "
                                  + "check (2 recipients, %d on the list) %.0f us/attempt (n=%d)%n", label,
                        (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n, (t4 - t3) / 1e3 / n,
                        listed, (t5 - t4) / 1e3 / n, n);
            }
            delivered.stop();
        }
    }
}
