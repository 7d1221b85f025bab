package io.mailbus.tenant;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.mailbus.mime.DkimKey;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Reads the tenants file (see README, "Tenants and API keys") into a {@link TenantSet}, or fails with a message
 * that names the entry at fault, e.g. {@code tenants.acme.senderDomains: required}. Unknown keys are errors, so a
 * misspelt {@code senderDomain} cannot silently leave a tenant unrestricted. The message never quotes a key hash,
 * a secret or a private key. Files the tenants file points to ({@code privateKeyFile}, {@code secretFile}) are read
 * here, relative to the tenants file's folder, so a reload also picks up a rotated key or secret.
 */
final class TenantsFile {

    /** The event names a webhook may ask for: those of email.events. */
    static final Set<String> EVENTS = Set.of("queued", "delivered", "partial", "deferred", "rejected", "invalid",
            "failed", "duplicate");

    private final Path file;
    private final Predicate<String> knownServer;

    /** @param knownServer whether a server name is one of {@code mailbus.smtp.servers} or {@code default} */
    TenantsFile(Path file, Predicate<String> knownServer) {
        this.file = file;
        this.knownServer = knownServer;
    }

    TenantSet read(byte[] content) throws IOException {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setLabel(file.toString()).build())
                    .loadFromString(new String(content, StandardCharsets.UTF_8));
        } catch (MarkedYamlEngineException e) {
            // the problem and where, not snakeyaml's whole message: it quotes the line, which may hold a secret
            throw new IOException("not YAML: " + e.getProblem() + e.getProblemMark()
                    .map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1)).orElse(""));
        } catch (RuntimeException e) {
            throw new IOException("not YAML: " + e.getClass().getSimpleName());
        }
        Map<String, Object> top = map(root, "the file");
        only(top, "the file", "tenants");
        Map<String, Object> tenants = map(top.get("tenants"), "tenants");
        Map<String, Tenant> byId = new LinkedHashMap<>();
        List<TenantSet.KeyHash> keys = new ArrayList<>();
        Set<String> seenHashes = new LinkedHashSet<>();
        for (Map.Entry<String, Object> e : tenants.entrySet()) {
            String id = e.getKey();
            String where = "tenants." + id;
            if (!Tenant.ID.matcher(id).matches()) {
                throw new IOException(where + ": a tenant id is [a-z0-9-]{1,64}");
            }
            Map<String, Object> t = map(e.getValue(), where);
            only(t, where, "keys", "senderDomains", "servers", "defaultServer", "rateLimit", "dkim", "webhooks");
            List<byte[]> hashes = keyHashes(t.get("keys"), where + ".keys");
            Tenant tenant = tenant(id, t, where);
            for (byte[] h : hashes) {
                if (!seenHashes.add(HexFormat.of().formatHex(h))) {
                    // not which one: the hash of a key is still a handle on it
                    throw new IOException(where + ".keys: a key is listed twice (in this or another tenant)");
                }
                keys.add(new TenantSet.KeyHash(h, tenant));
            }
            byId.put(id, tenant);
        }
        return new TenantSet(byId, keys);
    }

    private Tenant tenant(String id, Map<String, Object> t, String where) throws IOException {
        Set<String> domains = new LinkedHashSet<>();
        for (String d : strings(t.get("senderDomains"), where + ".senderDomains", true)) {
            domains.add(d.toLowerCase(Locale.ROOT));
        }
        Set<String> servers = new LinkedHashSet<>(strings(t.get("servers"), where + ".servers", false));
        if (servers.isEmpty()) {
            servers.add("default");
        }
        for (String s : servers) {
            if (!knownServer.test(s)) {
                throw new IOException(where + ".servers: " + s + " is not a server of mailbus.smtp.servers");
            }
        }
        String defaultServer = t.containsKey("defaultServer") ? string(t.get("defaultServer"), where + ".defaultServer")
                : servers.contains("default") ? "default" : servers.iterator().next();
        if (!servers.contains(defaultServer)) {
            throw new IOException(where + ".defaultServer: " + defaultServer + " is not one of its servers");
        }
        return new Tenant(id, domains, servers, defaultServer, rateLimit(t.get("rateLimit"), where + ".rateLimit"),
                dkim(t.get("dkim"), where + ".dkim"), webhooks(t.get("webhooks"), where + ".webhooks"));
    }

    private static List<byte[]> keyHashes(Object value, String where) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (Object o : list(value, where, false)) {
            Map<String, Object> k = map(o, where + "[]");
            only(k, where + "[]", "sha256");
            String hex = string(k.get("sha256"), where + "[].sha256").toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IOException(where + "[].sha256: 64 hex digits, the SHA-256 of the key "
                                      + "(printf %s \"$KEY\" | sha256sum)");
            }
            out.add(HexFormat.of().parseHex(hex));
        }
        return out;
    }

    private static RateLimit rateLimit(Object value, String where) throws IOException {
        if (value == null) {
            return null;
        }
        Map<String, Object> r = map(value, where);
        only(r, where, "perSecond", "burst");
        if (!(r.get("perSecond") instanceof Number perSecond) || perSecond.doubleValue() <= 0) {
            throw new IOException(where + ".perSecond: a number above 0");
        }
        Object burst = r.getOrDefault("burst", Math.max(1, (int) Math.ceil(perSecond.doubleValue())));
        if (!(burst instanceof Integer b) || b < 1) {
            throw new IOException(where + ".burst: a whole number of at least 1");
        }
        return new RateLimit(perSecond.doubleValue(), b);
    }

    private List<DkimKey> dkim(Object value, String where) throws IOException {
        List<DkimKey> out = new ArrayList<>();
        Set<String> domains = new LinkedHashSet<>();
        for (Object o : list(value, where, false)) {
            Map<String, Object> k = map(o, where + "[]");
            only(k, where + "[]", "domain", "selector", "privateKey", "privateKeyFile");
            String domain = string(k.get("domain"), where + "[].domain").toLowerCase(Locale.ROOT);
            if (!domains.add(domain)) {
                throw new IOException(where + ": two keys for " + domain + " (one per domain)");
            }
            String selector = string(k.get("selector"), where + "[].selector");
            String pem = secret(k, "privateKey", "privateKeyFile", where + "[" + domain + "]", true);
            DkimKey key = new DkimKey(domain, selector, pem);
            try {
                key.check();
            } catch (IOException | RuntimeException e) {
                throw new IOException(where + "[" + domain + "]: the private key cannot sign: " + e.getMessage());
            }
            out.add(key);
        }
        return out;
    }

    private List<WebhookEndpoint> webhooks(Object value, String where) throws IOException {
        List<WebhookEndpoint> out = new ArrayList<>();
        for (Object o : list(value, where, false)) {
            Map<String, Object> w = map(o, where + "[]");
            only(w, where + "[]", "url", "secret", "secretFile", "events");
            String url = string(w.get("url"), where + "[].url");
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + "[].url: not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IOException(where + "[].url: an absolute http or https URL");
            }
            String secret = secret(w, "secret", "secretFile", where + "[" + url + "]", false);
            Set<String> events = new LinkedHashSet<>(strings(w.get("events"), where + "[].events", false));
            for (String e : events) {
                if (!EVENTS.contains(e)) {
                    throw new IOException(where + "[].events: " + e + " is not one of " + EVENTS);
                }
            }
            out.add(new WebhookEndpoint(uri, secret, events));
        }
        return out;
    }

    /** A secret given inline or as a file; the file's one trailing newline is not part of it. */
    private String secret(Map<String, Object> m, String inline, String fromFile, String where, boolean required)
            throws IOException {
        if (m.containsKey(inline) && m.containsKey(fromFile)) {
            throw new IOException(where + ": " + inline + " or " + fromFile + ", not both");
        }
        if (m.containsKey(inline)) {
            return string(m.get(inline), where + "." + inline);
        }
        if (m.containsKey(fromFile)) {
            Path p = resolve(string(m.get(fromFile), where + "." + fromFile));
            try {
                return stripNewline(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(where + "." + fromFile + ": cannot read " + p + " (" + e.getClass().getSimpleName()
                                      + ")");
            }
        }
        if (required) {
            throw new IOException(where + ": " + inline + " or " + fromFile + " is required");
        }
        return null;
    }

    private Path resolve(String path) {
        Path p = Path.of(path);
        Path folder = file.toAbsolutePath().getParent();
        return p.isAbsolute() || folder == null ? p : folder.resolve(p);
    }

    static String stripNewline(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) throws IOException {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IOException(where + ": " + (o == null ? "required" : "a mapping (key: value)"));
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new IOException(where + ": keys are text");
            }
        }
        return (Map<String, Object>) m;
    }

    private static void only(Map<String, Object> m, String where, String... allowed) throws IOException {
        Set<String> ok = Set.of(allowed);
        for (String k : m.keySet()) {
            if (!ok.contains(k)) {
                throw new IOException(where + ": unknown key " + k + " (one of " + String.join(", ", allowed) + ")");
            }
        }
    }

    private static List<?> list(Object o, String where, boolean required) throws IOException {
        if (o == null) {
            if (required) {
                throw new IOException(where + ": required");
            }
            return List.of();
        }
        if (!(o instanceof List<?> l)) {
            throw new IOException(where + ": a list");
        }
        if (required && l.isEmpty()) {
            throw new IOException(where + ": at least one");
        }
        return l;
    }

    private static List<String> strings(Object o, String where, boolean required) throws IOException {
        List<String> out = new ArrayList<>();
        for (Object v : list(o, where, required)) {
            out.add(string(v, where + "[]"));
        }
        return out;
    }

    private static String string(Object o, String where) throws IOException {
        if (!(o instanceof String s) || s.isBlank()) {
            throw new IOException(where + ": " + (o == null ? "required" : "non-empty text"));
        }
        return s.trim();
    }
}
