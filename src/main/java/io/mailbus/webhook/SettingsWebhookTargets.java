package io.mailbus.webhook;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Endpoints from {@code mailbus.webhooks} (their names) and {@code mailbus.webhooks.<name>.url/secret/events/tenant}.
 * An endpoint with no tenant receives the events of every tenant (and of requests that have none): the operator's own.
 */
public final class SettingsWebhookTargets implements WebhookTargets {

    private record Scoped(String tenant, WebhookTarget target) {
    }

    private final List<Scoped> targets;

    private SettingsWebhookTargets(List<Scoped> targets) {
        this.targets = List.copyOf(targets);
    }

    /** @param setting a setting's value by its full key, or null when unset */
    public static SettingsWebhookTargets of(String names, Function<String, String> setting) {
        List<Scoped> out = new ArrayList<>();
        for (String name : split(names)) {
            String prefix = "mailbus.webhooks." + name + ".";
            String url = setting.apply(prefix + "url");
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("webhook " + name + ": " + prefix + "url is not set");
            }
            Set<String> events = new LinkedHashSet<>(split(setting.apply(prefix + "events")));
            String tenant = setting.apply(prefix + "tenant");
            out.add(new Scoped(tenant == null || tenant.isBlank() ? null : tenant.trim(),
                    new WebhookTarget(name, URI.create(url.trim()), setting.apply(prefix + "secret"), events)));
        }
        return new SettingsWebhookTargets(out);
    }

    @Override
    public List<WebhookTarget> forTenant(String tenantId) {
        return targets.stream().filter(s -> s.tenant == null || s.tenant.equals(tenantId)).map(Scoped::target).toList();
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }

    private static List<String> split(String list) {
        return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }
}
