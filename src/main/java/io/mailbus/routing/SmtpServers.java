package io.mailbus.routing;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.mailbus.MailbusHeaders;
import io.mailbus.request.SendRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The one answer to "which SMTP server": each named server is one operator-written {@code smtp-pool:} URI,
 * {@code mailbus.smtp.server.<name>.uri}; the server named {@value #DEFAULT} (built from the {@code mailbus.smtp.*}
 * settings) takes requests that name none. A request picks a name, never a host; the validator refuses a name this
 * resolver does not know.
 */
public class SmtpServers extends ServiceSupport {

    /** The server of a request that names none. */
    public static final String DEFAULT = "default";

    private final Map<String, String> uris = new LinkedHashMap<>();
    private final Map<String, Supplier<String>> tokens = new LinkedHashMap<>();
    private final java.util.List<Producer> started = new java.util.ArrayList<>();
    /** Each server's endpoint, resolved once at start: see {@link MailbusHeaders#SERVER_ENDPOINT_PROPERTY}. */
    private final Map<String, Endpoint> endpoints = new java.util.concurrent.ConcurrentHashMap<>();
    private CamelContext context;

    /** @param uris name to {@code smtp-pool:} URI; a URI of another scheme, or no {@value #DEFAULT}, fails start-up */
    public SmtpServers(Map<String, String> uris) {
        uris.forEach((name, uri) -> {
            if (uri == null || !uri.startsWith("smtp-pool:")) {
                throw new IllegalArgumentException("mailbus.smtp.server." + name + ".uri must be an smtp-pool: URI");
            }
            this.uris.put(name, uri);
        });
        if (!this.uris.containsKey(DEFAULT)) {
            throw new IllegalArgumentException("mailbus.smtp.server.default.uri is not set");
        }
    }

    /**
     * The {@value #DEFAULT} server and those named in {@code list} (comma separated), their URIs and OAuth settings
     * ({@link OAuthSettings}) through {@code lookup}.
     */
    public static SmtpServers of(String list, Function<String, String> lookup) {
        Map<String, String> uris = new LinkedHashMap<>();
        uris.put(DEFAULT, lookup.apply(uriKey(DEFAULT)));
        Arrays.stream(list == null ? new String[0] : list.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                .forEach(n -> uris.put(n, lookup.apply(uriKey(n))));
        SmtpServers servers = new SmtpServers(uris);
        for (String name : uris.keySet()) {
            Supplier<String> supplier = OAuthSettings.tokensOf(name, lookup);
            if (supplier != null) {
                servers.tokens.put(name, supplier);
                servers.uris.put(name, OAuthSettings.withTokens(servers.uris.get(name), tokenBean(name)));
            }
        }
        return servers;
    }

    /** The registry name of a server's token supplier, which its URI refers to. */
    static String tokenBean(String server) {
        return "mailbusOAuthTokens-" + server;
    }

    private static String uriKey(String name) {
        return "mailbus.smtp.server." + name + ".uri";
    }

    /**
     * Starts every server's endpoint with the application, not at its first message: its pool, health check and
     * metrics exist from the start, so an unreachable server shows DOWN before any request waits for it, and a server
     * with {@code lazyStart=false} that cannot be reached stops start-up.
     */
    public SmtpServers startWith(CamelContext context) {
        this.context = context;
        return this;
    }

    @Override
    protected void doStart() throws Exception {
        if (context == null) {
            return;
        }
        tokens.forEach((name, supplier) -> context.getRegistry().bind(tokenBean(name), supplier));
        for (Map.Entry<String, String> server : uris.entrySet()) {
            Endpoint endpoint = context.getEndpoint(server.getValue());
            endpoints.put(server.getKey(), endpoint);
            Producer producer = endpoint.createProducer();
            ServiceHelper.startService(producer);
            started.add(producer);
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(started);
        started.clear();
        endpoints.clear();
    }

    /** Whether a request may name this server. */
    public boolean knows(String name) {
        return uris.containsKey(name);
    }

    /** Sets {@link MailbusHeaders#SERVER_ENDPOINT_PROPERTY}, what the flow's one {@code toD} sends to, and the URI. */
    public void choose(Exchange exchange) {
        SendRequest request = exchange.getProperty(MailbusHeaders.REQUEST_PROPERTY, SendRequest.class);
        // the tenant policy's choice (the request's server or its tenant's default) when tenants are on
        String name = exchange.getProperty(MailbusHeaders.SERVER_NAME_PROPERTY, String.class);
        if (name == null) {
            name = request == null || request.getServer() == null ? DEFAULT : request.getServer();
        }
        if (!uris.containsKey(name)) {
            throw new IllegalStateException("no SMTP server named " + name);
        }
        set(exchange, name);
    }

    private void set(Exchange exchange, String name) {
        String uri = uris.get(name);
        exchange.setProperty(MailbusHeaders.SERVER_URI_PROPERTY, uri);
        Endpoint endpoint = endpoints.get(name);
        exchange.setProperty(MailbusHeaders.SERVER_ENDPOINT_PROPERTY, endpoint == null ? uri : endpoint);
        exchange.setProperty(MailbusHeaders.SERVER_NAME_PROPERTY, name);
    }

    /** Sends this attempt to another server (a fallback) instead of the one {@link #choose} picked. */
    void reroute(Exchange exchange, String name) {
        set(exchange, name);
    }

    /** Every server name, {@value #DEFAULT} first. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(uris.keySet());
    }
}
