package io.mailbus.it;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.MailbusMain;
import io.mailbus.dev.FreePorts;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins what a client sees on POST /api/v1/messages while the application starts and stops: the port is open
 * before the flows run and after they stopped, and in those windows the answer is 503 with Retry-After and the
 * API's error shape, never a 404. Each test holds the application in one window with a latch (a start-up
 * listener that waits before the consumers start; an in-flight exchange that keeps the shutdown waiting), so
 * the windows are as long as the test needs and no assertion depends on timing.
 */
class HttpLifecycleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "test-key-lifecycle";
    private static final String REQUEST = """
            {"to": ["lifecycle@example.com"], "subject": "lifecycle", "text": "x"}
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int httpPort = FreePorts.next();
    private final List<HttpResponse<String>> answers = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private Main main;
    private Thread runner;
    private volatile CamelContext context;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (main != null) {
            main.completed();
        }
        if (runner != null) {
            runner.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    @Test
    void shouldAnswer503NotFoundNeverWhileTheFlowsStart() throws Exception {
        AtomicBoolean held = new AtomicBoolean();
        start(context -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the first route to start holds the start-up until the test has seen it: the port is open, the
                // routes are built, and no consumer of the application has started yet
                from("direct:hold-start").routeId("test-hold-start").startupOrder(1)
                        .routePolicy(new RoutePolicySupport() {
                            @Override
                            public void onStart(Route route) {
                                held.set(true);
                                try {
                                    release.await(60, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        })
                        .log("held");
            }
        }));
        CompletableFuture<Void> poller = pollUntil(202);

        await().atMost(Duration.ofSeconds(60)).until(() -> held.get() && !answers.isEmpty());
        release.countDown();
        poller.get(60, TimeUnit.SECONDS);

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(503, 202);
        HttpResponse<String> starting = answers.get(0);
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(starting.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode error = JSON.readTree(starting.body()).path("errors").get(0);
        assertThat(error.path("code").asText()).isEqualTo("starting");
        assertThat(error.has("field")).isTrue();
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(answers.get(answers.size() - 1).statusCode()).isEqualTo(202);
    }

    @Test
    void shouldAnswer503NotFoundNeverOnceShutdownBegins() throws Exception {
        start(context -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // stands for a request still being delivered: graceful shutdown waits for it
                from("direct:in-flight").routeId("test-in-flight").process(e -> release.await(60, TimeUnit.SECONDS));
            }
        }));
        await().atMost(Duration.ofSeconds(60)).until(() -> context != null && context.isStarted());
        assertThat(post().statusCode()).isEqualTo(202);
        answers.clear();
        context.createProducerTemplate().asyncSendBody("direct:in-flight", "hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getInflightRepository().size() >= 1);

        main.completed();
        CompletableFuture<Void> poller = pollUntil(503);
        poller.get(60, TimeUnit.SECONDS);
        // the in-flight exchange still holds the shutdown: the port is open, the consumers are stopped
        assertThat(context.getInflightRepository().size()).isGreaterThanOrEqualTo(1);
        assertThat(post().statusCode()).isEqualTo(503);
        release.countDown();
        runner.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(503);
        HttpResponse<String> stopping = answers.get(0);
        assertThat(stopping.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(stopping.body()).path("errors").get(0).path("code").asText()).isEqualTo("stopping");
    }

    /** POSTs until one is answered {@code status}; a refused connection (port not open yet) is retried. */
    private CompletableFuture<Void> pollUntil(int status) {
        return CompletableFuture.runAsync(() -> await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20)).ignoreException(ConnectException.class)
                .until(() -> post().statusCode() == status));
    }

    private HttpResponse<String> post() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        answers.add(response);
        return response;
    }

    private interface ContextCustomizer {
        void customize(CamelContext context) throws Exception;
    }

    private void start(ContextCustomizer customizer) throws Exception {
        main = MailbusMain.newMain();
        main.addOverrideProperty("mailbus.http.port", String.valueOf(httpPort));
        main.addOverrideProperty("mailbus.management.port", String.valueOf(FreePorts.next()));
        main.addOverrideProperty("mailbus.api.keys", API_KEY);
        main.addOverrideProperty("mailbus.jms.url", TestBrokers.artemis().url());
        main.addOverrideProperty("mailbus.kafka.enabled", "false");
        main.addOverrideProperty("mailbus.kafka.brokers", "127.0.0.1:1");
        main.addOverrideProperty("mailbus.db.url", TestBrokers.newDatabase());
        // requests queued here are taken by whichever application consumes email.send next; they go to GreenMail
        main.addOverrideProperty("mailbus.smtp.host", "127.0.0.1");
        main.addOverrideProperty("mailbus.smtp.port", String.valueOf(TestBrokers.greenMail().getSmtp().getPort()));
        main.addOverrideProperty("mailbus.smtp.encryption", "none");
        // the test classpath holds the dev runner's RouteBuilder; production's jar has none to scan
        main.addOverrideProperty("camel.main.base-package-scan-enabled", "false");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    customizer.customize(m.getCamelContext());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                context = m.getCamelContext();
            }
        });
        runner = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "mailbus-lifecycle-app");
        runner.start();
    }
}
