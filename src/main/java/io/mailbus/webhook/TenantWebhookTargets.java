package io.mailbus.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.mailbus.tenant.Tenants;
import io.mailbus.tenant.WebhookEndpoint;

/**
 * The operator's endpoints from settings plus each tenant's own from the tenants file, asked afresh on every event, so
 * an endpoint added or removed by a reload of the file takes effect without a restart.
 * <p>
 * A tenant's endpoint is named {@code <tenant>-<first 12 hex digits of SHA-256(url)>}: queued deliveries refer to
 * that name, and it must still point at the same URL after the file is edited and its endpoints reordered.
 */
public final class TenantWebhookTargets implements WebhookTargets {

    private final WebhookTargets settings;
    private final Tenants tenants;

    public TenantWebhookTargets(WebhookTargets settings, Tenants tenants) {
        this.settings = settings;
        this.tenants = tenants;
    }

    @Override
    public List<WebhookTarget> forTenant(String tenantId) {
        List<WebhookTarget> all = new ArrayList<>(settings.forTenant(tenantId));
        if (tenantId != null) {
            for (WebhookEndpoint e : tenants.webhooksOf(tenantId)) {
                all.add(new WebhookTarget(idOf(tenantId, e), e.url(), e.secret(), e.events()));
            }
        }
        return all;
    }

    static String idOf(String tenantId, WebhookEndpoint endpoint) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256")
                    .digest(endpoint.url().toString().getBytes(StandardCharsets.UTF_8));
            return tenantId + "-" + HexFormat.of().formatHex(sha, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
