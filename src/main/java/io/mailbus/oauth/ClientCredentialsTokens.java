package io.mailbus.oauth;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.OAuthTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XOAUTH2 access tokens for one SMTP server by the OAuth 2.0 client credentials grant (RFC 6749 section 4.4): the
 * form {@code grant_type=client_credentials, client_id, client_secret, scope} posted to the token URL, as Microsoft
 * Entra ID expects for Exchange Online's SMTP AUTH. The smtp-pool component asks for a token on every new connection;
 * the token is kept and handed out again until {@code expires_in} minus the refresh margin has passed, and only one
 * thread at a time asks the token endpoint (the others wait for its answer instead of asking too).
 *
 * <p>The JDK's HTTP client and the Jackson already on the class path are all this needs: one form POST and one JSON
 * field; an OAuth library (MSAL, Nimbus) would add its own HTTP stack and token cache for no gain here.
 *
 * <p>Failures: a 4xx answer ({@code invalid_client}, {@code invalid_scope}, {@code unauthorized_client}...), a token
 * URL whose host does not resolve or that refuses connections, or an answer without a token are set-up faults
 * ({@link OAuthTokenException} not transient, so the request is kept on the dead-letter queue for replay and the
 * server reported down); a 5xx or 429 answer, a timeout or a connection cut mid-answer are transient (the request is
 * retried on the connection schedule). The client secret and the token are never logged.
 */
public final class ClientCredentialsTokens implements Supplier<String> {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailbus.oauth");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** When the token endpoint gives no lifetime: Entra ID's usual one. */
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Duration refreshMargin;
    private final Duration timeout;
    private final HttpClient http;
    private final Clock clock;
    private final Object refreshing = new Object();
    private volatile Token current;

    private record Token(String value, Instant refreshAt) {
    }

    /**
     * @param refreshMargin how long before its expiry a token is replaced; a token that lives shorter than twice
     *                      this is replaced at half its life
     * @param timeout       for connecting to the token endpoint and for its answer
     */
    public ClientCredentialsTokens(URI tokenUrl, String clientId, String clientSecret, String scope,
                                   Duration refreshMargin, Duration timeout, Clock clock) {
        if (tokenUrl == null || !("https".equals(tokenUrl.getScheme()) || "http".equals(tokenUrl.getScheme()))) {
            throw new IllegalArgumentException("the OAuth token URL must be an https: (or http:) URL");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("the OAuth client id is not set");
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw new IllegalArgumentException("the OAuth client secret is not set");
        }
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.refreshMargin = refreshMargin;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String get() {
        Token t = current;
        if (t != null && clock.instant().isBefore(t.refreshAt())) {
            return t.value();
        }
        synchronized (refreshing) {
            t = current;
            if (t != null && clock.instant().isBefore(t.refreshAt())) {
                return t.value(); // another thread refreshed it while this one waited
            }
            current = request();
            return current.value();
        }
    }

    private Token request() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        if (scope != null && !scope.isBlank()) {
            form.put("scope", scope);
        }
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"))))
                .build();
        Instant asked = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new OAuthTokenException("the token endpoint " + tokenUrl + " did not answer in time", true, e);
        } catch (ConnectException | UnknownHostException e) {
            throw new OAuthTokenException("the token endpoint " + tokenUrl + " cannot be reached (" + e + "): check "
                                          + "the token URL", false, e);
        } catch (IOException e) {
            throw new OAuthTokenException("the token endpoint " + tokenUrl + " failed: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthTokenException("interrupted while asking " + tokenUrl + " for a token", true, e);
        }
        return tokenOf(response, asked);
    }

    private Token tokenOf(HttpResponse<String> response, Instant asked) {
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status != 200) {
            // error and error_description are the provider's words about our request: no secret in them
            String why = "the token endpoint " + tokenUrl + " answered " + status + " "
                         + body.path("error").asText("") + " " + firstLine(body.path("error_description").asText(""));
            boolean transientFailure = status >= 500 || status == 429 || status == 408;
            LOG.warn("no OAuth token for client {}: {}", clientId, why.trim());
            throw new OAuthTokenException(why.trim(), transientFailure, null);
        }
        String token = body.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new OAuthTokenException("the token endpoint " + tokenUrl + " answered 200 without an access_token",
                                          false, null);
        }
        Duration lifetime = body.hasNonNull("expires_in") ? Duration.ofSeconds(body.path("expires_in").asLong(0))
                : DEFAULT_LIFETIME;
        Duration margin = lifetime.compareTo(refreshMargin.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : refreshMargin;
        Instant refreshAt = asked.plus(lifetime).minus(margin);
        LOG.info("OAuth token for client {} obtained; valid for {} s, replaced from {}", clientId,
                 lifetime.toSeconds(), refreshAt);
        return new Token(token, refreshAt);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = body == null || body.isBlank() ? null : JSON.readTree(body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}
