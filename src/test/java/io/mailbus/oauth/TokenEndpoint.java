package io.mailbus.oauth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OAuth 2.0 token endpoint on a free loopback port: answers the client credentials grant with tokens
 * {@code token-1}, {@code token-2}... for the one client it knows, {@code 401 invalid_client} for any other secret,
 * or whatever status {@link #failWith} says. It keeps every form it was sent.
 */
public final class TokenEndpoint implements AutoCloseable {

    public static final String CLIENT_ID = "mailbus-client";
    public static final String CLIENT_SECRET = "s3cret-value";

    private final HttpServer server;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();
    private volatile long expiresIn = 3600;
    private volatile int failStatus;

    public TokenEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/tenant-1/oauth2/v2.0/token", this::answer);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/tenant-1/oauth2/v2.0/token";
    }

    public TokenEndpoint expiresIn(long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** Every request answered with this status (0: answer normally again). */
    public TokenEndpoint failWith(int status) {
        this.failStatus = status;
        return this;
    }

    /** The forms posted to the endpoint, in order. */
    public List<Map<String, String>> forms() {
        return forms;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            forms.add(form);
            String body;
            int status;
            if (failStatus != 0) {
                status = failStatus;
                body = "{\"error\":\"temporarily_unavailable\"}";
            } else if (!"POST".equals(exchange.getRequestMethod())
                       || !"client_credentials".equals(form.get("grant_type"))) {
                status = 400;
                body = "{\"error\":\"unsupported_grant_type\"}";
            } else if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
                status = 401;
                body = "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}";
            } else {
                status = 200;
                body = "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"access_token\":\"token-"
                       + issued.incrementAndGet() + "\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static Map<String, String> parse(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
