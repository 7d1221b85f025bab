package io.mailbus.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbus.dev.EmbeddedArtemis;
import io.mailbus.dev.EmbeddedDatabase;
import io.mailbus.dev.EmbeddedKafka;
import io.mailbus.dev.FreePorts;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real servers the integration tests share, started once per test JVM on free loopback ports: an
 * Artemis broker with a persistent journal, a KRaft Kafka, GreenMail as the SMTP server and PostgreSQL (a new
 * database per application, {@link #newDatabase()}).
 */
public final class TestBrokers {

    private static EmbeddedArtemis artemis;
    private static Path artemisDir;
    private static EmbeddedKafka kafka;
    private static GreenMail greenMail;
    private static EmbeddedDatabase postgres;

    private TestBrokers() {
    }

    public static synchronized EmbeddedArtemis artemis() throws Exception {
        if (artemis == null) {
            artemisDir = Files.createTempDirectory("mailbus-artemis");
            artemis = EmbeddedArtemis.start(FreePorts.next(), artemisDir, true);
            onExit(() -> artemis.close());
        }
        return artemis;
    }

    /** Stops the broker; {@link #startArtemisAgain()} brings it back on the same port and journal. */
    public static synchronized void stopArtemis() throws Exception {
        artemis.close();
    }

    public static synchronized void startArtemisAgain() throws Exception {
        artemis = EmbeddedArtemis.start(artemis.port(), artemisDir, true);
    }

    public static synchronized EmbeddedKafka kafka() throws Exception {
        if (kafka == null) {
            Path dir = Files.createTempDirectory("mailbus-kafka");
            kafka = EmbeddedKafka.start(FreePorts.next(), dir);
            kafka.createTopics("email.send");
            onExit(kafka);
        }
        return kafka;
    }

    public static synchronized EmbeddedDatabase postgres() throws Exception {
        if (postgres == null) {
            postgres = EmbeddedDatabase.start(FreePorts.next(), null);
            onExit(postgres);
        }
        return postgres;
    }

    /** The JDBC URL of a new, empty database on the test PostgreSQL: one per application or group of instances. */
    public static String newDatabase() throws Exception {
        return postgres().newDatabase("mailbus");
    }

    /** A String producer on the test Kafka; the caller closes it. */
    public static KafkaProducer<String, String> kafkaProducer() throws Exception {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    public static synchronized GreenMail greenMail() {
        if (greenMail == null) {
            greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
            greenMail.start();
            GreenMail started = greenMail;
            onExit(started::stop);
        }
        return greenMail;
    }

    private static void onExit(AutoCloseable closeable) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the JVM is going away
            }
        }));
    }
}
