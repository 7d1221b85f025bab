package io.mailbus.outcome;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.mailbus.request.SendRequest;
import org.apache.camel.Exchange;

/**
 * The named SMTP routes a request may choose with its {@code server} field: {@code mailbus.smtp.servers}
 * lists the names and {@code mailbus.smtp.server.<name>.uri} gives each one's {@code smtp-pool:} endpoint URI.
 * Only these operator-written URIs are ever used; a request picks a name, never a host.
 */
public class SmtpServers {

    /** The exchange property holding the chosen server's endpoint URI, null for the default server. */
    public static final String URI_PROPERTY = "mailbusSmtpUri";

    private final Map<String, String> uris = new LinkedHashMap<>();

    /** @param uris name to {@code smtp-pool:} URI; a URI of another scheme is refused at start-up */
    public SmtpServers(Map<String, String> uris) {
        uris.forEach((name, uri) -> {
            if (uri == null || !uri.startsWith("smtp-pool:")) {
                throw new IllegalArgumentException("mailbus.smtp.server." + name + ".uri must be an smtp-pool: URI");
            }
            this.uris.put(name, uri);
        });
    }

    /** Reads the names of {@code list} (comma separated) and their URIs through {@code lookup}. */
    public static SmtpServers of(String list, java.util.function.Function<String, String> lookup) {
        Map<String, String> uris = new LinkedHashMap<>();
        Arrays.stream(list == null ? new String[0] : list.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                .forEach(n -> uris.put(n, lookup.apply("mailbus.smtp.server." + n + ".uri")));
        return new SmtpServers(uris);
    }

    public Set<String> names() {
        return uris.keySet();
    }

    /** Sets {@link #URI_PROPERTY} for a request that names a server. */
    public void choose(Exchange exchange) {
        SendRequest request = exchange.getProperty(Outcomes.REQUEST, SendRequest.class);
        String name = request == null ? null : request.getServer();
        exchange.setProperty(URI_PROPERTY, name == null ? null : uris.get(name));
    }
}
