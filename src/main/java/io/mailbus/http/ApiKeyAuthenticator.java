package io.mailbus.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.mailbus.MailbusHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API-key gate of the HTTP edge: {@code Authorization: Bearer <key>} against the keys of
 * {@code mailbus.api.keys}. Keys are compared in constant time and never logged; the header is removed
 * once checked so it cannot travel on to the queue.
 */
public class ApiKeyAuthenticator implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthenticator.class);
    private static final String BEARER = "bearer ";

    private final List<byte[]> keys;
    private final boolean enabled;

    /**
     * @param keys    comma-separated keys; blanks are ignored
     * @param enabled false only for the dev runner: every request passes, and a warning says so
     */
    public ApiKeyAuthenticator(String keys, boolean enabled) {
        this.keys = Arrays.stream(Objects.requireNonNullElse(keys, "").split(","))
                .map(String::trim)
                .filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .toList();
        this.enabled = enabled;
        if (!enabled) {
            LOG.warn("*** API KEY CHECK IS DISABLED (mailbus.api.auth-enabled=false): ANYONE WHO REACHES THE HTTP PORT "
                     + "CAN SEND MAIL. This is for the dev runner only. ***");
        } else if (this.keys.isEmpty()) {
            LOG.warn("No API keys configured (mailbus.api.keys): every HTTP request will be answered 401");
        }
    }

    @Override
    public void process(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        boolean ok = isAuthorized(authorization);
        exchange.getMessage().removeHeader("Authorization");
        if (!ok) {
            throw new ApiKeyRejectedException();
        }
        exchange.setProperty(MailbusHeaders.CALLER_PROPERTY, CallerScope.digest(authorization));
    }

    boolean isAuthorized(String authorization) {
        if (!enabled) {
            return true;
        }
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            // no early exit: the time taken does not tell which key, or how much of it, matched
            match |= MessageDigest.isEqual(key, presented);
        }
        return match;
    }
}
