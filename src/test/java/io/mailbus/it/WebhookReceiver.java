package io.mailbus.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook endpoint on loopback (JDK HttpServer, port 0) that records every POST and answers 500 while
 * {@link #failing} is set, 200 otherwise.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One POST as the endpoint saw it, and what it answered. */
    record Post(String eventId, String event, String signature, int attempt, String body, int answered) {
    }

    final AtomicBoolean failing = new AtomicBoolean();
    private final HttpServer server;
    private final List<Post> posts = Collections.synchronizedList(new ArrayList<>());

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status = failing.get() ? 500 : 200;
            var h = exchange.getRequestHeaders();
            posts.add(new Post(h.getFirst("Mailbus-Event-Id"), h.getFirst("Mailbus-Event"),
                    h.getFirst("Mailbus-Signature"), Integer.parseInt(h.getFirst("Mailbus-Delivery-Attempt")), body,
                    status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Post> posts() {
        synchronized (posts) {
            return List.copyOf(posts);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
