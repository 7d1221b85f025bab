package io.mailbus.tenant;

import java.util.ArrayList;
import java.util.List;

import io.mailbus.MailbusHeaders;
import io.mailbus.request.ErrorCode;
import io.mailbus.request.ForbiddenSendRequestException;
import io.mailbus.request.Mailbox;
import io.mailbus.request.SendRequest;
import io.mailbus.request.ValidationError;
import org.apache.camel.Exchange;

/**
 * What a tenant may send, checked after validation at every ingress (the HTTP edge, and again when the request is
 * taken off the bus, so a retry meets the rules in force then): {@code from} in one of its sender domains, a named
 * server among its servers. It also picks the server of a request that names none: the tenant's default. Refusals
 * are {@link ForbiddenSendRequestException}: 403 over HTTP, {@code email.invalid} on the bus. A request that passes
 * gets {@link MailbusHeaders#TENANT} (the checked id) on the exchange. With tenants off it does nothing.
 */
public class TenantPolicy {

    /** The field a bus request's tenant error names: the property or header that carries it. */
    static final String TENANT_FIELD = MailbusHeaders.TENANT;

    private final Tenants tenants;

    public TenantPolicy(Tenants tenants) {
        this.tenants = tenants;
    }

    /** Checks the validated request in the body against the tenant of {@link MailbusHeaders#TENANT_PROPERTY}. */
    public void check(Exchange exchange) {
        if (!tenants.enabled()) {
            return;
        }
        SendRequest request = exchange.getMessage().getBody(SendRequest.class);
        String id = exchange.getProperty(MailbusHeaders.TENANT_PROPERTY, String.class);
        boolean claimed = exchange.getProperty(MailbusHeaders.TENANT_CLAIMED_PROPERTY, false, Boolean.class);
        List<ValidationError> errors = refusals(id, claimed, request);
        if (!errors.isEmpty()) {
            throw new ForbiddenSendRequestException(errors, request.getId());
        }
        Tenant tenant = tenants.tenant(id);
        String server = request.getServer();
        exchange.setProperty(MailbusHeaders.SERVER_NAME_PROPERTY, server != null ? server : tenant.defaultServer());
        // the checked tenant on the exchange for whatever runs after (metrics, logs): set here, never an inbound value
        exchange.getMessage().setHeader(MailbusHeaders.TENANT, tenant.id());
    }

    /**
     * Why the tenant may not send this validated request (none: it may, or tenants are off). For the elements of a
     * batch, each answered on its own.
     */
    public List<ValidationError> refusals(String tenantId, boolean claimed, SendRequest request) {
        if (!tenants.enabled()) {
            return List.of();
        }
        Tenant tenant = tenants.tenant(tenantId);
        if (tenant == null) {
            return List.of(claimed
                    ? new ValidationError(TENANT_FIELD, ErrorCode.UNKNOWN_TENANT,
                            "names no tenant of the tenants file")
                    : new ValidationError(TENANT_FIELD, ErrorCode.TENANT_REQUIRED,
                            "tenants are configured: a bus request names its tenant in " + TENANT_FIELD));
        }
        List<ValidationError> errors = new ArrayList<>(2);
        String from = Mailbox.parse(request.getFrom()).address();
        if (!tenant.maySendAs(from)) {
            errors.add(new ValidationError("from", ErrorCode.SENDER_NOT_ALLOWED,
                    "the sender's domain is not one of the tenant's sender domains"));
        }
        String server = request.getServer();
        if (server != null && !tenant.mayUse(server)) {
            errors.add(new ValidationError("server", ErrorCode.SERVER_NOT_ALLOWED,
                    "the tenant may not use this SMTP server"));
        }
        return errors;
    }
}
