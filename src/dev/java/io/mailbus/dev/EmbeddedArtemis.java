package io.mailbus.dev;

import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An Artemis broker inside this JVM on a loopback port: the dev runner's (journal under {@code data/}) and
 * the tests' (journal in a temp directory). Persistence is on unless a caller says otherwise, so "queued"
 * means what it means in production.
 */
public final class EmbeddedArtemis implements AutoCloseable {

    private final EmbeddedActiveMQ broker;
    private final int port;

    private EmbeddedArtemis(EmbeddedActiveMQ broker, int port) {
        this.broker = broker;
        this.port = port;
    }

    public static EmbeddedArtemis start(int port, Path dataDir, boolean persistent) throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("mailbus-embedded");
        config.setPersistenceEnabled(persistent);
        config.setSecurityEnabled(false);
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.addAcceptorConfiguration("core", "tcp://127.0.0.1:" + port + "?protocols=CORE");
        config.setJMXManagementEnabled(false);
        // a message the application could not settle (crash loops) ends on the DLQ, never silently dropped
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("email.dlq"))
                .setMaxDeliveryAttempts(10)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setRedeliveryDelay(1000));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        return new EmbeddedArtemis(broker, port);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public EmbeddedActiveMQ broker() {
        return broker;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }
}
