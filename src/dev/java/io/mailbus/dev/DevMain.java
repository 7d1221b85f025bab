package io.mailbus.dev;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.mailbus.MailbusMain;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job on embedded defaults: Artemis on 127.0.0.1:61616, a KRaft Kafka on 127.0.0.1:9092 and PostgreSQL on
 * 127.0.0.1:5432 (unless {@code MAILBUS_DB_URL} names one), all keeping their data under {@code data/} so a restart
 * loses nothing queued or recorded, and an SMTP sink on
 * 127.0.0.1:3025 unless {@code MAILBUS_SMTP_HOST} names a real server. Then the very application
 * production runs, with the API-key check off (a warning says so).
 */
public final class DevMain {

    private static final Logger LOG = LoggerFactory.getLogger(DevMain.class);

    private DevMain() {
    }

    /**
     * {@code mailbus.kafka.consumers} as the application will read it, the environment over the settings file, so
     * the dev topic follows the shipped default instead of a copy of it here.
     */
    private static int kafkaConsumers() throws IOException {
        String env = System.getenv("MAILBUS_KAFKA_CONSUMERS");
        if (env != null) {
            return Integer.parseInt(env.trim());
        }
        Properties settings = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(MailbusMain.propertyLocations().substring("file:".length())))) {
            settings.load(r);
        }
        return Integer.parseInt(settings.getProperty("mailbus.kafka.consumers", "1").trim());
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("MAILBUS_DATA_DIR", "data"));
        int artemisPort = Integer.parseInt(System.getenv().getOrDefault("MAILBUS_DEV_ARTEMIS_PORT", "61616"));
        int kafkaPort = Integer.parseInt(System.getenv().getOrDefault("MAILBUS_DEV_KAFKA_PORT", "9092"));
        int dbPort = Integer.parseInt(System.getenv().getOrDefault("MAILBUS_DEV_DB_PORT", "5432"));
        int sinkPort = Integer.parseInt(System.getenv().getOrDefault("MAILBUS_DEV_SMTP_PORT", "3025"));

        EmbeddedArtemis artemis = EmbeddedArtemis.start(artemisPort, data.resolve("artemis"), true);
        LOG.info("Embedded Artemis on {} (journal in {})", artemis.url(), data.resolve("artemis"));
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaPort, data.resolve("kafka"));
        // a partition for each of the application's Kafka consumer threads: each needs one of its own
        kafka.createTopics(kafkaConsumers(), "email.send");
        LOG.info("Embedded Kafka on {} (log in {})", kafka.bootstrapServers(), data.resolve("kafka"));

        EmbeddedDatabase database = null;
        Main main = MailbusMain.newMain();
        if (System.getenv("MAILBUS_DB_URL") == null) {
            database = EmbeddedDatabase.start(dbPort, data.resolve("postgres"));
            main.addOverrideProperty("mailbus.db.url", database.database("mailbus"));
            LOG.info("Embedded PostgreSQL on 127.0.0.1:{} (data in {})", dbPort, data.resolve("postgres"));
        }
        EmbeddedDatabase startedDatabase = database;
        main.addOverrideProperty("mailbus.jms.url", artemis.url());
        main.addOverrideProperty("mailbus.kafka.brokers", kafka.bootstrapServers());
        if (System.getenv("MAILBUS_API_KEYS") == null) {
            main.addOverrideProperty("mailbus.api.auth-enabled", "false");
        }
        DevSmtpSink sink = null;
        if (System.getenv("MAILBUS_SMTP_HOST") == null) {
            sink = new DevSmtpSink(sinkPort);
            main.addOverrideProperty("mailbus.smtp.host", "127.0.0.1");
            main.addOverrideProperty("mailbus.smtp.port", String.valueOf(sink.port()));
            main.addOverrideProperty("mailbus.smtp.encryption", "none");
            main.configure().addRoutesBuilder(sink);
            LOG.info("Embedded SMTP sink on 127.0.0.1:{}; received mail at GET http://127.0.0.1:8080/dev/mail",
                    sink.port());
        } else {
            LOG.info("MAILBUS_SMTP_HOST is set: delivering to {}, no SMTP sink started", System.getenv("MAILBUS_SMTP_HOST"));
        }
        DevSmtpSink startedSink = sink;
        java.util.concurrent.CountDownLatch camelStopped = new java.util.concurrent.CountDownLatch(1);
        // the brokers go last: Camel first finishes or hands back its in-flight exchanges
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                camelStopped.await(60, java.util.concurrent.TimeUnit.SECONDS);
                kafka.close();
                artemis.close();
                if (startedDatabase != null) {
                    startedDatabase.close();
                }
                if (startedSink != null) {
                    startedSink.close();
                }
            } catch (Exception e) {
                LOG.warn("Stopping the embedded brokers: {}", e.toString());
            }
        }, "mailbus-dev-shutdown"));
        int exit = 0;
        try {
            main.run(args);
            exit = main.getExitCode();
        } catch (Throwable e) {
            LOG.error("Mailbus did not start", e);
            exit = 1;
        } finally {
            camelStopped.countDown();
        }
        // the embedded brokers keep non-daemon threads: leave for real, through the shutdown hook
        System.exit(exit);
    }
}
