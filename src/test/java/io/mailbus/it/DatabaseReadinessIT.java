package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness asks the database too: the HTTP edge stores Idempotency-Keys and request owners there before it queues,
 * so an instance whose database is gone cannot accept and must leave the load balancer; liveness stays UP (a restart
 * would not bring the database back). The class's own database is dropped under the running application.
 */
class DatabaseReadinessIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readinessIsDownWhileTheDatabaseIsGoneAndLivenessStaysUp() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode ready = get("/observe/health/ready?exposureLevel=full", 200);
            assertThat(check(ready, "database")).as(ready.toString()).isEqualTo("UP");
        });

        String url = database();
        String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        try (Connection admin = DriverManager.getConnection(url.replace("/" + name + "?", "/postgres?"));
             Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE \"" + name + "\" WITH (FORCE)");
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode ready = get("/observe/health/ready?exposureLevel=full", 503);
            assertThat(ready.path("status").asText()).isEqualTo("DOWN");
            assertThat(check(ready, "database")).isEqualTo("DOWN");
            assertThat(check(ready, "broker")).isEqualTo("UP");
        });
        JsonNode live = get("/observe/health/live", 200);
        assertThat(live.path("status").asText()).isEqualTo("UP");
    }

    private JsonNode get(String path, int expectedStatus) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort()
                + path)).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
        return JSON.readTree(r.body());
    }

    private static String check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c.path("status").asText();
            }
        }
        return null;
    }
}
