package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import com.icegreen.greenmail.util.GreenMail;
import io.mailbus.MailbusMain;
import io.mailbus.dev.FreePorts;
import io.mailbus.smtppool.ScriptedSmtpServer;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs the real application (config/application.properties, routes/*.yaml, MailbusConfiguration) against
 * the shared real servers of {@link TestBrokers}; only ports and endpoints are overridden. One Camel
 * context per test class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MailbusTestSupport extends CamelMainTestSupport {

    protected static final String API_KEY = "test-key-0123456789";

    // assigned lazily: the Camel test extension asks for the properties before field initialisers run
    private int httpPort;
    private int managementPort;
    private String database;
    private BusClient bus;
    // assigned lazily like the ports: overrides(...) runs before field initialisers
    private java.util.List<AutoCloseable> closeAfterClass;
    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    protected synchronized int httpPort() {
        if (httpPort == 0) {
            httpPort = FreePorts.next();
        }
        return httpPort;
    }

    /** This class's own database on the test PostgreSQL (created on first use). */
    protected synchronized String database() throws Exception {
        if (database == null) {
            database = TestBrokers.newDatabase();
        }
        return database;
    }

    protected synchronized int managementPort() {
        if (managementPort == 0) {
            managementPort = FreePorts.next();
        }
        return managementPort;
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return MailbusMain.propertyLocations();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        try {
            Properties p = new Properties();
            p.put("mailbus.http.port", String.valueOf(httpPort()));
            p.put("mailbus.management.port", String.valueOf(managementPort()));
            p.put("mailbus.api.keys", API_KEY);
            p.put("mailbus.jms.url", TestBrokers.artemis().url());
            p.put("mailbus.kafka.brokers", TestBrokers.kafka().bootstrapServers());
            p.put("mailbus.smtp.host", "127.0.0.1");
            p.put("mailbus.smtp.port", String.valueOf(TestBrokers.greenMail().getSmtp().getPort()));
            p.put("mailbus.smtp.encryption", "none");
            p.put("mailbus.db.url", database());
            p.put("mailbus.from.default", "noreply@mailbus.test");
            p.put("mailbus.message-id.domain", "mailbus.test");
            overrides(p);
            return p;
        } catch (Exception e) {
            throw new IllegalStateException("test servers did not start", e);
        }
    }

    /**
     * The context lives for the whole class; it must also end with it, or its JMS and Kafka consumers would
     * keep taking the next class's requests off the shared brokers.
     */
    @AfterAll
    void stopApplication() throws Exception {
        if (context() != null) {
            context().stop();
        }
        if (bus != null) {
            bus.close();
        }
        for (AutoCloseable c : closeables()) {
            c.close();
        }
    }

    private synchronized java.util.List<AutoCloseable> closeables() {
        if (closeAfterClass == null) {
            closeAfterClass = new java.util.concurrent.CopyOnWriteArrayList<>();
        }
        return closeAfterClass;
    }

    /**
     * Subscribes to the status events before each test sends anything: {@code email.events} is a topic, so a client
     * that subscribed only when a test first awaited an event missed those already published (it bit several classes
     * whose tests ran in another order on a fresh clone).
     */
    @BeforeEach
    void subscribeToStatusEvents() throws Exception {
        bus();
    }

    /** A JMS client on the test broker that records this class's status events; closed after the class. */
    protected synchronized BusClient bus() throws Exception {
        if (bus == null) {
            bus = new BusClient();
        }
        return bus;
    }

    /** A scripted SMTP server for this class, made the application's SMTP server; closed after the class. */
    protected ScriptedSmtpServer scriptedSmtp(Properties properties) {
        ScriptedSmtpServer server = newScriptedSmtp();
        properties.put("mailbus.smtp.port", String.valueOf(server.port()));
        return server;
    }

    /** Another scripted SMTP server for this class (e.g. a named server), closed after the class. */
    protected ScriptedSmtpServer newScriptedSmtp() {
        try {
            ScriptedSmtpServer server = new ScriptedSmtpServer();
            closeables().add(server);
            return server;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per-class settings on top of the shared ones. */
    protected void overrides(Properties properties) {
    }

    protected GreenMail greenMail() {
        return TestBrokers.greenMail();
    }

    protected HttpResponse<String> post(String json, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/api/v1/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
