package io.mailbus.tenant;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.mailbus.mime.DkimKey;

/**
 * One tenant of the tenants file: who it may send as, through which SMTP servers, how fast, with which DKIM keys,
 * and where its events go. Its API keys are not here: they live, hashed, in the {@link TenantSet} that finds a tenant
 * by key, so no tenant object ever carries a credential that could be logged.
 *
 * @param id            {@code [a-z0-9-]{1,64}}, the value of {@code MailbusTenant} and of the events' {@code tenant}
 * @param senderDomains the domains {@code from} may use, lower case; subdomains are not implied
 * @param servers       the named SMTP servers ({@code mailbus.smtp.servers}, and {@code default}) it may use
 * @param defaultServer the server of its requests that name none
 * @param rateLimit     its HTTP request rate, or null for none
 * @param dkim          its DKIM keys, at most one per domain
 * @param webhooks      its webhook endpoints
 */
public record Tenant(String id, Set<String> senderDomains, Set<String> servers, String defaultServer,
                     RateLimit rateLimit, List<DkimKey> dkim, List<WebhookEndpoint> webhooks) {

    /** What a tenant id may be: it travels as a JMS property, a Kafka header and a JSON field. */
    public static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");

    public Tenant {
        senderDomains = Set.copyOf(senderDomains);
        servers = Set.copyOf(servers);
        dkim = List.copyOf(dkim);
        webhooks = List.copyOf(webhooks);
    }

    /** Whether {@code address} (an addr-spec) is in one of its sender domains. */
    public boolean maySendAs(String address) {
        int at = address.lastIndexOf('@');
        return at > 0 && senderDomains.contains(address.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    /** Whether it may use the named SMTP server. */
    public boolean mayUse(String server) {
        return servers.contains(server);
    }
}
