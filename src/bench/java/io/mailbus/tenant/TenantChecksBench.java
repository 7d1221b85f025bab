package io.mailbus.tenant;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import io.mailbus.MailbusHeaders;
import io.mailbus.request.SendRequest;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The per-request cost of the tenant checks at the HTTP edge, on one thread: the key lookup (SHA-256 of the presented
 * key, a map lookup by that hash, a constant-time compare with the stored one), the token bucket, and the policy (sender's domain, server,
 * default server), for tenants files of 10 and 1,000 keys. Run:
 * {@code mvn -Pbench -o -q test-compile} then {@code java -cp target/classes:target/test-classes:$(cat cp.txt)
 * io.mailbus.tenant.TenantChecksBench}. Prints ns per operation (the median of 5 timed rounds after a warm-up).
 */
public final class TenantChecksBench {

    private TenantChecksBench() {
    }

    public static void main(String[] args) throws Exception {
        for (int keys : new int[] {10, 1_000}) {
            Path file = Files.createTempFile("tenants-bench", ".yaml");
            StringBuilder yaml = new StringBuilder("tenants:\n");
            for (int i = 0; i < keys; i++) {
                yaml.append("  t").append(i).append(":\n    keys: [{sha256: \"").append(sha("key-" + i))
                        .append("\"}]\n    senderDomains: [t").append(i).append(".example, other").append(i)
                        .append(".example]\n    rateLimit: { perSecond: 1000000000, burst: 1000000000 }\n");
            }
            Files.writeString(file, yaml);
            Tenants tenants = new Tenants(file, Duration.ofHours(1), "default"::equals);
            TenantPolicy policy = new TenantPolicy(tenants);
            String key = "key-" + (keys / 2);
            Tenant tenant = tenants.authenticate(key);
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            SendRequest request = new SendRequest();
            request.setFrom("News <news@t" + (keys / 2) + ".example>");
            request.setTo(List.of("a@example.com"));
            exchange.getMessage().setBody(request);
            exchange.setProperty(MailbusHeaders.TENANT_PROPERTY, tenant.id());

            report(keys, "key lookup (SHA-256, map, isEqual)", () -> tenants.authenticate(key));
            report(keys, "token bucket", () -> tenants.acquire(tenant));
            report(keys, "policy (from domain, server)", () -> {
                policy.check(exchange);
                return exchange;
            });
            report(keys, "all three", () -> {
                Tenant t = tenants.authenticate(key);
                tenants.acquire(t);
                policy.check(exchange);
                return t;
            });
            Files.delete(file);
        }
    }

    private static void report(int keys, String what, java.util.concurrent.Callable<Object> op) throws Exception {
        Object sink = null;
        for (int i = 0; i < 200_000; i++) {
            sink = op.call();
        }
        long[] rounds = new long[5];
        int n = keys > 100 ? 20_000 : 200_000;
        for (int r = 0; r < rounds.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink = op.call();
            }
            rounds[r] = (System.nanoTime() - start) / n;
        }
        java.util.Arrays.sort(rounds);
        System.out.printf("%5d keys  %-36s %8d ns/op  (%s)%n", keys, what, rounds[2], sink == null ? "-" : "ok");
    }

    private static String sha(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
