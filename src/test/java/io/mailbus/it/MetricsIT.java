package io.mailbus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Scrapes /observe/metrics after real traffic: requests delivered over HTTP, one refused as invalid over JMS, one
 * deferred because its named server refuses connections. The counters by ingress, tenant and outcome, the latency
 * histogram, attempts, retries scheduled, the queue depths asked of the broker (each queue's depth grows by the
 * request put on it) and the pool gauges are all there, by name and labels.
 */
class MetricsIT extends MailbusTestSupport {

    @Override
    protected void overrides(Properties p) {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("mailbus.smtp.servers", "down");
        p.put("mailbus.smtp.server.down.uri", "smtp-pool:127.0.0.1:" + closed
                + "?encryption=none&connectTimeout=2000&lazyStart=true");
        p.put("mailbus.retry.connection", "10m");
        p.put("mailbus.metrics.queue-depth-ttl", "100");
    }

    @Test
    void countersHistogramsAndGaugesAreScrapedByNameAndLabels() throws Exception {
        Scrape before = Scrape.of(http, managementPort());
        double invalidBefore = orZero(before.value("mailbus_queue_messages", "queue", "email.invalid"));
        double retryBefore = orZero(before.value("mailbus_queue_messages", "queue", "email.retry"));
        assertThat(before.value("mailbus_queue_messages", "queue", "email.send")).isNotNaN();
        // the status recorder's backlog: its subscription exists from start, so the broker answers for it
        assertThat(before.value("mailbus_queue_messages", "queue", "mailbus-status")).isNotNaN();

        for (int i = 0; i < 3; i++) {
            assertThat(post("""
                    {"to": ["m@example.com"], "subject": "metrics %d", "text": "x"}""".formatted(i), API_KEY)
                    .statusCode()).isEqualTo(202);
        }
        HttpResponse<String> deferred = post("""
                {"to": ["m@example.com"], "subject": "metrics down", "text": "x", "server": "down"}""", API_KEY);
        assertThat(deferred.statusCode()).isEqualTo(202);
        bus().send("email.send", "{\"to\": [], \"subject\": \"metrics invalid " + UUID.randomUUID() + "\"}", Map.of());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Scrape s = Scrape.of(http, managementPort());
            assertThat(s.value("mailbus_requests_total", "ingress", "http", "tenant", "none", "outcome", "delivered"))
                    .isGreaterThanOrEqualTo(3);
            assertThat(s.value("mailbus_requests_total", "ingress", "http", "tenant", "none", "outcome", "queued"))
                    .isGreaterThanOrEqualTo(4);
            assertThat(s.value("mailbus_requests_total", "ingress", "http", "tenant", "none", "outcome", "deferred"))
                    .isEqualTo(1);
            assertThat(s.value("mailbus_requests_total", "ingress", "jms", "tenant", "none", "outcome", "invalid"))
                    .isEqualTo(1);
            assertThat(s.value("mailbus_delivery_latency_seconds_count", "ingress", "http", "outcome", "delivered"))
                    .isGreaterThanOrEqualTo(3);
            assertThat(s.value("mailbus_delivery_latency_seconds_bucket", "ingress", "http", "outcome", "delivered",
                    "le", "+Inf")).isGreaterThanOrEqualTo(3);
            assertThat(s.value("mailbus_delivery_attempts_per_request_count", "outcome", "delivered"))
                    .isGreaterThanOrEqualTo(3);
            assertThat(s.value("mailbus_delivery_attempts_total", "ingress", "http")).isGreaterThanOrEqualTo(4);
            assertThat(s.value("mailbus_retries_scheduled_total", "retry_class", "connection")).isEqualTo(1);
            assertThat(s.value("mailbus_retries_scheduled_total", "retry_class", "throttled")).isEqualTo(0);
            assertThat(s.value("mailbus_queue_messages", "queue", "email.invalid")).isEqualTo(invalidBefore + 1);
            assertThat(s.value("mailbus_queue_messages", "queue", "email.retry")).isEqualTo(retryBefore + 1);
            // the pool gauges, per server (labelled host:port)
            String server = "127.0.0.1:" + greenMail().getSmtp().getPort();
            assertThat(s.value("smtp_pool_connections_opened_total", "server", server))
                    .isGreaterThanOrEqualTo(1);
            assertThat(s.value("smtp_pool_connections_active", "server", server)).isNotNaN();
            assertThat(s.value("smtp_pool_connections_max", "server", server)).isGreaterThan(0);
        });
    }

    /** Every series the Grafana dashboard queries is one the application serves (no typo, no renamed metric). */
    @Test
    void theDashboardQueriesOnlySeriesTheApplicationServes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("config/grafana/mailbus-dashboard.json").toFile());
        Set<String> series = new TreeSet<>();
        Matcher m = SERIES.matcher(dashboard.findValues("expr").toString());
        while (m.find()) {
            series.add(m.group());
        }
        assertThat(series).contains("mailbus_requests_total", "mailbus_delivery_latency_seconds_bucket",
                "mailbus_queue_messages", "smtp_pool_connections_active");
        // the delivery series exist once a request has been delivered
        assertThat(post("""
                {"to": ["m@example.com"], "subject": "metrics dashboard", "text": "x"}""", API_KEY).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Scrape s = Scrape.of(http, managementPort());
            assertThat(series).allSatisfy(name -> assertThat(s.has(name)).as(name).isTrue());
        });
    }

    private static final Pattern SERIES = Pattern.compile("\\b(mailbus|smtp_pool|jvm|camel)_[a-z_]+");

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
