package io.mailbus.routing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import io.mailbus.oauth.ClientCredentialsTokens;
import org.apache.camel.util.TimeUtils;

/**
 * Reads a named server's XOAUTH2 settings, {@code mailbus.smtp.server.<name>.oauth.*}: with a token URL set, the
 * server logs in with tokens of the OAuth 2.0 client credentials grant ({@link ClientCredentialsTokens}) instead of
 * a password, and its URI gets {@code authMechanisms=XOAUTH2} and the token supplier unless it names its own.
 */
final class OAuthSettings {

    private OAuthSettings() {
    }

    /** The server's token supplier, or null when it has no token URL. */
    static Supplier<String> tokensOf(String server, Function<String, String> lookup) {
        String prefix = "mailbus.smtp.server." + server + ".oauth.";
        String tokenUrl = lookup.apply(prefix + "token-url");
        if (tokenUrl == null || tokenUrl.isBlank()) {
            return null;
        }
        String margin = orDefault(lookup.apply("mailbus.smtp.oauth.refresh-margin"), "5m");
        String timeout = orDefault(lookup.apply("mailbus.smtp.oauth.timeout"), "10s");
        try {
            return new ClientCredentialsTokens(URI.create(tokenUrl.trim()), lookup.apply(prefix + "client-id"),
                    lookup.apply(prefix + "client-secret"), lookup.apply(prefix + "scope"),
                    Duration.ofMillis(TimeUtils.toMilliSeconds(margin)),
                    Duration.ofMillis(TimeUtils.toMilliSeconds(timeout)), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "*: " + e.getMessage(), e);
        }
    }

    /** The URI, asking for XOAUTH2 with the supplier bound as {@code bean}, unless it names either itself. */
    static String withTokens(String uri, String bean) {
        StringBuilder out = new StringBuilder(uri);
        if (!uri.contains("oauthTokenSupplier=")) {
            out.append(uri.contains("?") ? '&' : '?').append("oauthTokenSupplier=#").append(bean);
        }
        if (!uri.contains("authMechanisms=")) {
            out.append("&authMechanisms=XOAUTH2");
        }
        return out.toString();
    }

    private static String orDefault(String value, String dflt) {
        return value == null || value.isBlank() ? dflt : value.trim();
    }
}
