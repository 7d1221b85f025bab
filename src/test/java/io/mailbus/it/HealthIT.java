package io.mailbus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Readiness means "can accept": an SMTP server that refuses connections is reported DOWN in /observe/health but
 * readiness stays UP (requests wait on the broker); the broker stopped takes readiness DOWN while liveness stays UP,
 * and readiness comes back with the broker.
 */
class HealthIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private int closedPort;

    @Override
    protected void overrides(Properties p) {
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("mailbus.smtp.servers", "down");
        p.put("mailbus.smtp.server.down.uri", "smtp-pool:127.0.0.1:" + closedPort
                + "?encryption=none&connectTimeout=2000&lazyStart=true&healthCheckCacheTime=0");
    }

    @Test
    void anSmtpServerDownIsReportedButReadinessStaysUpAndTheBrokerDecidesIt() throws Exception {
        String smtpCheck = "smtp-pool:127.0.0.1:" + closedPort;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Answer all = get("/observe/health?exposureLevel=full");
            assertThat(check(all.json, smtpCheck)).as(all.json.toString()).isEqualTo("DOWN");
            assertThat(check(all.json, "broker")).isEqualTo("UP");
            Answer ready = get("/observe/health/ready");
            assertThat(ready.status).as(ready.json.toString()).isEqualTo(200);
            assertThat(ready.json.path("status").asText()).isEqualTo("UP");
        });

        TestBrokers.stopArtemis();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Answer ready = get("/observe/health/ready?exposureLevel=full");
                assertThat(ready.status).isEqualTo(503);
                assertThat(ready.json.path("status").asText()).isEqualTo("DOWN");
                assertThat(check(ready.json, "broker")).isEqualTo("DOWN");
            });
            Answer live = get("/observe/health/live?exposureLevel=full");
            assertThat(live.status).as(live.json.toString()).isEqualTo(200);
            assertThat(live.json.path("status").asText()).isEqualTo("UP");
        } finally {
            TestBrokers.startArtemisAgain();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Answer ready = get("/observe/health/ready?exposureLevel=full");
            assertThat(ready.status).as(ready.json.toString()).isEqualTo(200);
        });
    }

    private record Answer(int status, JsonNode json) {
    }

    private Answer get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort()
                + path)).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    /** The status of the check named {@code name}, or null when it is not listed. */
    private static String check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c.path("status").asText();
            }
        }
        return null;
    }
}
