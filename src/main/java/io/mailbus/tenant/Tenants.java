package io.mailbus.tenant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.mailbus.mime.DkimKey;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants of the tenants file, kept current while Mailbus runs: the file is read again every poll interval and
 * a changed content (compared by its SHA-256, so no file-system timestamp granularity can hide a quick second write)
 * is parsed into a new {@link TenantSet} that replaces the old one at once. A file that does not parse leaves the last
 * good set in force; the reason is logged once per content and {@link #status()} (the {@code tenants} health check)
 * reports it until a good file is read. Polling rather than a file-system watch: a Kubernetes ConfigMap or Secret
 * volume replaces the file through a symlink swap that watches on the file miss, and polling one small file a second
 * costs nothing.
 *
 * <p>Without a tenants file at start-up tenants are off: {@link #enabled()} is false, the HTTP edge takes the plain
 * keys of {@code mailbus.api.keys}, and nothing is checked per tenant (today's single-tenant Mailbus).
 */
public class Tenants extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Tenants.class);

    /** What the health check shows: when the set in force was read, and the last failure since, if any. */
    public record Status(Path file, boolean enabled, int tenants, int keys, Instant loadedAt, String error,
                         Instant failedAt) {
    }

    private final Path file;
    private final Duration pollInterval;
    private final TenantsFile reader;
    private final RateLimits rateLimits = new RateLimits();
    private volatile TenantSet current;
    private volatile Status status;
    private byte[] lastDigest;
    private ScheduledExecutorService poller;

    /**
     * @param file         the tenants file; null or missing: tenants are off
     * @param pollInterval how often the file is read again for changes
     * @param knownServer  whether a server name is one of {@code mailbus.smtp.servers} or {@code default}
     */
    public Tenants(Path file, Duration pollInterval, Predicate<String> knownServer) {
        this.file = file;
        this.pollInterval = pollInterval;
        this.reader = new TenantsFile(file == null ? Path.of(".") : file, knownServer);
        boolean present = file != null && Files.isRegularFile(file);
        if (present) {
            try {
                byte[] content = Files.readAllBytes(file);
                install(reader.read(content), content);
            } catch (IOException e) {
                // no good set to fall back to at start: refusing to start beats accepting every sender
                throw new IllegalStateException("tenants file " + file + ": " + e.getMessage(), e);
            }
        } else {
            status = new Status(file, false, 0, 0, null, null, null);
            LOG.info("No tenants file ({}): the HTTP edge takes the keys of mailbus.api.keys, one tenant for all", file);
        }
    }

    /** Whether tenants are on (a tenants file existed at start-up). */
    public boolean enabled() {
        return current != null;
    }

    /** The tenant whose API key this is, or null; the key is hashed, compared in constant time and never logged. */
    public Tenant authenticate(String presentedKey) {
        TenantSet set = current;
        return set == null || presentedKey == null ? null : set.authenticate(presentedKey);
    }

    /** The tenant of this id, or null. */
    public Tenant tenant(String id) {
        TenantSet set = current;
        return set == null ? null : set.byId(id);
    }

    /** Every tenant by id (none when tenants are off). */
    public Map<String, Tenant> all() {
        TenantSet set = current;
        return set == null ? Map.of() : set.all();
    }

    /** The DKIM keys of a tenant; none for an unknown id or when tenants are off. */
    public List<DkimKey> dkimOf(String id) {
        Tenant t = tenant(id);
        return t == null ? List.of() : t.dkim();
    }

    /** The webhook endpoints of a tenant; none for an unknown id or when tenants are off. */
    public List<WebhookEndpoint> webhooksOf(String id) {
        Tenant t = tenant(id);
        return t == null ? List.of() : t.webhooks();
    }

    /**
     * Takes one request from the tenant's token bucket: 0 when it may go on, else the seconds to wait before a token
     * is there again (at least 1, for {@code Retry-After}).
     */
    public long acquire(Tenant tenant) {
        return rateLimits.acquire(tenant, System.nanoTime());
    }

    public Status status() {
        return status;
    }

    /** Reads the file again now; the poller does this every interval. */
    public synchronized void reload() {
        if (current == null) {
            return;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            failed("the file is gone; the tenants read at " + status.loadedAt() + " stay in force", null);
            return;
        } catch (IOException e) {
            failed("cannot read the file (" + e.getClass().getSimpleName() + "); the last good tenants stay in force",
                    null);
            return;
        }
        byte[] digest = TenantSet.sha256Bytes(content);
        if (MessageDigest.isEqual(digest, lastDigest)) {
            return;
        }
        try {
            install(reader.read(content), content);
            LOG.info("Tenants file {} reloaded: {} tenants, {} keys", file, status.tenants(), status.keys());
        } catch (IOException | RuntimeException e) {
            failed(e.getMessage() + "; the tenants read at " + status.loadedAt() + " stay in force", digest);
        }
    }

    private void install(TenantSet set, byte[] content) {
        current = set;
        lastDigest = TenantSet.sha256Bytes(content);
        rateLimits.retain(set.all());
        status = new Status(file, true, set.all().size(), set.keyCount(), Instant.now(), null, null);
    }

    private void failed(String why, byte[] digest) {
        // once per bad content, not every poll
        if (digest == null || !MessageDigest.isEqual(digest, lastDigest)) {
            LOG.error("Tenants file {} not loaded: {}", file, why);
        }
        if (digest != null) {
            lastDigest = digest;
        }
        Status s = status;
        if (s.error() == null || !s.error().equals(why)) {
            status = new Status(file, true, s.tenants(), s.keys(), s.loadedAt(), why, Instant.now());
        }
    }

    @Override
    protected void doStart() {
        if (current != null && poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mailbus-tenants-reload");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(50, pollInterval.toMillis());
            poller.scheduleWithFixedDelay(this::reloadQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.error("Tenants file {}: reload failed", file, e);
        }
    }

    @Override
    protected void doStop() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}
