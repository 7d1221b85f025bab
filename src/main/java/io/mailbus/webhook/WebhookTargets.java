package io.mailbus.webhook;

import java.util.List;
import java.util.Optional;

/**
 * Where a tenant's events go. Implemented from settings ({@link SettingsWebhookTargets}) and, once tenants exist, from
 * the tenants file; asked on every event and every retry, so a removed endpoint stops receiving.
 */
public interface WebhookTargets {

    /** The endpoints for events of this tenant ({@code null} when the request has none). */
    List<WebhookTarget> forTenant(String tenantId);

    /** The endpoint a queued delivery names, if it still exists for that tenant. */
    default Optional<WebhookTarget> find(String tenantId, String targetId) {
        return forTenant(tenantId).stream().filter(t -> t.id().equals(targetId)).findFirst();
    }
}
