package io.mailbus.tenant;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tenants file: what it gives (tenant by key, webhooks, defaults) and the refusals that name the entry at fault
 * without quoting a secret; a reload that swaps keys and one that fails keeping the last good set.
 */
class TenantsFileTest {

    @TempDir
    Path dir;

    private static String sha(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private TenantSet read(String yaml) throws Exception {
        return new TenantsFile(dir.resolve("tenants.yaml"), Set.of("default", "bulk")::contains)
                .read(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsTheTenantByItsKeyAndExposesItsWebhooks() throws Exception {
        Files.writeString(dir.resolve("hook-secret"), "whsec-from-file\n");
        TenantSet set = read("""
                tenants:
                  acme:
                    keys:
                      - sha256: "%s"
                    senderDomains: [Acme.Example]
                    servers: [default, bulk]
                    defaultServer: bulk
                    rateLimit: { perSecond: 50, burst: 100 }
                    webhooks:
                      - { url: "https://hooks.acme.example/mb", secretFile: hook-secret, events: [delivered, rejected] }
                      - { url: "http://127.0.0.1:9/all", secret: inline-secret }
                """.formatted(sha("k1")));

        Tenant acme = set.authenticate("k1");
        assertThat(acme.id()).isEqualTo("acme");
        assertThat(set.authenticate("k2")).isNull();
        assertThat(acme.maySendAs("x@acme.example")).isTrue();
        assertThat(acme.maySendAs("x@sub.acme.example")).isFalse();
        assertThat(acme.defaultServer()).isEqualTo("bulk");
        assertThat(acme.rateLimit()).isEqualTo(new RateLimit(50, 100));
        assertThat(acme.webhooks()).containsExactly(
                new WebhookEndpoint(URI.create("https://hooks.acme.example/mb"), "whsec-from-file",
                        Set.of("delivered", "rejected")),
                new WebhookEndpoint(URI.create("http://127.0.0.1:9/all"), "inline-secret", Set.of()));
        assertThat(acme.webhooks().get(1).wants("queued")).isTrue();
        assertThat(acme.webhooks().get(0).wants("queued")).isFalse();
        assertThat(acme.webhooks().toString()).doesNotContain("whsec-from-file", "inline-secret");
    }

    @Test
    void readsTheShippedExample() throws Exception {
        Tenants tenants = new Tenants(Path.of("config/tenants.example.yaml"), Duration.ofHours(1), "default"::equals);

        assertThat(tenants.authenticate("password").id()).isEqualTo("acme");
        assertThat(tenants.tenant("billing").maySendAs("x@billing.acme.example")).isTrue();
        assertThat(tenants.webhooksOf("acme")).hasSize(1);
    }

    @Test
    void defaultsToTheDefaultServerAndNoLimit() throws Exception {
        Tenant t = read("tenants:\n  t1:\n    senderDomains: [t.example]\n").byId("t1");

        assertThat(t.servers()).containsExactly("default");
        assertThat(t.defaultServer()).isEqualTo("default");
        assertThat(t.rateLimit()).isNull();
    }

    @Test
    void refusesWhatWouldLeaveATenantOtherThanMeant() throws Exception {
        String key = "tenants:\n  t1:\n    keys: [{sha256: \"" + sha("k") + "\"}]\n";
        assertRefused(key + "    senderDomain: [t.example]\n", "tenants.t1: unknown key senderDomain");
        assertRefused(key, "tenants.t1.senderDomains: required");
        assertRefused("tenants:\n  T1:\n    senderDomains: [t.example]\n", "tenants.T1: a tenant id is");
        assertRefused(key + "    senderDomains: [t.example]\n    servers: [elsewhere]\n",
                "tenants.t1.servers: elsewhere is not a server");
        assertRefused(key + "    senderDomains: [t.example]\n    servers: [bulk]\n    defaultServer: default\n",
                "tenants.t1.defaultServer: default is not one of its servers");
        assertRefused("tenants:\n  t1:\n    keys: [{sha256: \"not-hex\"}]\n    senderDomains: [t.example]\n",
                "tenants.t1.keys[].sha256: 64 hex digits");
        assertRefused(key + "    senderDomains: [t.example]\n  t2:\n    keys: [{sha256: \"" + sha("k")
                      + "\"}]\n    senderDomains: [u.example]\n", "a key is listed twice");
        assertRefused(key + "    senderDomains: [t.example]\n    rateLimit: { perSecond: 0 }\n",
                "tenants.t1.rateLimit.perSecond");
        assertRefused(key + "    senderDomains: [t.example]\n    webhooks: [{url: \"ftp://x.example/\"}]\n",
                "an absolute http or https URL");
        assertRefused(key + "    senderDomains: [t.example]\n    webhooks: [{url: \"https://x.example/\", events: [sent]}]\n",
                "sent is not one of");
        assertRefused(key + "    senderDomains: [t.example]\n    dkim: [{domain: t.example, selector: s1, "
                      + "privateKey: \"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\"}]\n",
                "tenants.t1.dkim[t.example]: the private key cannot sign");
        assertRefused("tenants:\n  t1: [oops\n", "not YAML");
    }

    @Test
    void neverQuotesASecretFromABrokenLine() {
        assertThatThrownBy(() -> read("tenants:\n  t1:\n    webhooks: [{url: \"https://x.example/\", secret: "
                                      + "\"top-secret-value\"}\n    senderDomains: [t.example\n"))
                .hasMessageStartingWith("not YAML").hasMessageNotContaining("top-secret-value");
    }

    private void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> read(yaml)).as(yaml).hasMessageContaining(message);
    }

    @Test
    void aReloadSwapsTheKeysAndABrokenFileKeepsTheLastGoodOnes() throws Exception {
        Path file = dir.resolve("live.yaml");
        Files.writeString(file, "tenants:\n  t1:\n    keys: [{sha256: \"" + sha("old") + "\"}]\n"
                                + "    senderDomains: [t.example]\n");
        Tenants tenants = new Tenants(file, Duration.ofHours(1), "default"::equals);
        assertThat(tenants.authenticate("old").id()).isEqualTo("t1");

        Files.writeString(file, "tenants:\n  t1:\n    keys: [{sha256: \"" + sha("new") + "\"}]\n"
                                + "    senderDomains: [t.example]\n");
        tenants.reload();
        assertThat(tenants.authenticate("old")).isNull();
        assertThat(tenants.authenticate("new").id()).isEqualTo("t1");
        assertThat(tenants.status().error()).isNull();

        Files.writeString(file, "tenants:\n  t1: [\n");
        tenants.reload();
        assertThat(tenants.authenticate("new").id()).isEqualTo("t1");
        assertThat(tenants.status().error()).startsWith("not YAML").contains("stay in force");

        Files.delete(file);
        tenants.reload();
        assertThat(tenants.authenticate("new").id()).isEqualTo("t1");
        assertThat(tenants.status().error()).contains("the file is gone");
    }

    @Test
    void withoutAFileTenantsAreOff() {
        Tenants tenants = new Tenants(dir.resolve("absent.yaml"), Duration.ofSeconds(1), "default"::equals);

        assertThat(tenants.enabled()).isFalse();
        assertThat(tenants.authenticate("anything")).isNull();
        assertThat(tenants.webhooksOf("t1")).isEmpty();
    }
}
