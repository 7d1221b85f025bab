package io.mailbus.webhook;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.mailbus.tenant.Tenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's webhooks from the tenants file reach the fan-out beside the operator's, only for that tenant's events, and
 * keep their names when the file is edited: a delivery queued before the edit still finds its endpoint after it.
 */
class TenantWebhookTargetsTest {

    @TempDir
    Path dir;

    private static final String KEY_HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

    @Test
    void aTenantsEndpointsJoinTheOperatorsAndKeepTheirNamesAcrossAnEdit() throws Exception {
        Path file = dir.resolve("tenants.yaml");
        Files.writeString(file, tenants("https://a.acme.example/hook", "https://b.acme.example/hook"));
        Tenants tenants = new Tenants(file, Duration.ofHours(1), "default"::equals);
        WebhookTargets settings = SettingsWebhookTargets.of("ops", key -> switch (key) {
            case "mailbus.webhooks.ops.url" -> "https://ops.example/hook";
            case "mailbus.webhooks.ops.secret" -> "ops-secret";
            default -> null;
        });
        TenantWebhookTargets targets = new TenantWebhookTargets(settings, tenants);

        List<WebhookTarget> acme = targets.forTenant("acme");
        assertThat(acme).extracting(WebhookTarget::url).containsExactly(URI.create("https://ops.example/hook"),
                URI.create("https://a.acme.example/hook"), URI.create("https://b.acme.example/hook"));
        assertThat(acme.get(1).secret()).isEqualTo("acme-secret");
        assertThat(targets.forTenant("other")).extracting(WebhookTarget::id).containsExactly("ops");
        assertThat(targets.forTenant(null)).extracting(WebhookTarget::id).containsExactly("ops");

        String idOfB = acme.get(2).id();
        Files.writeString(file, tenants("https://b.acme.example/hook", "https://c.acme.example/hook"));
        tenants.reload();

        assertThat(targets.find("acme", idOfB)).map(WebhookTarget::url)
                .contains(URI.create("https://b.acme.example/hook"));
        assertThat(targets.find("acme", acme.get(1).id())).as("a removed endpoint receives nothing more").isEmpty();
    }

    private static String tenants(String firstUrl, String secondUrl) {
        return """
                tenants:
                  acme:
                    keys:
                      - sha256: "%s"
                    senderDomains: [acme.example]
                    webhooks:
                      - { url: "%s", secret: acme-secret }
                      - { url: "%s", secret: acme-secret }
                """.formatted(KEY_HASH, firstUrl, secondUrl);
    }
}
