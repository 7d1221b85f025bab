package io.mailbus;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins relations between shipped settings that the README states. */
class SettingsTest {

    private static Properties shipped() throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("config/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    @Test
    void shouldLetAnInFlightSendFinishBeforeShutdownGivesUp() throws Exception {
        Properties p = shipped();
        long shutdownMs = Long.parseLong(p.getProperty("camel.main.shutdown-timeout").trim()) * 1000;
        long oneSendMs = Long.parseLong(p.getProperty("mailbus.smtp.pool-max-wait-ms").trim())
                         + Long.parseLong(p.getProperty("mailbus.smtp.connect-timeout-ms").trim())
                         + Long.parseLong(p.getProperty("mailbus.smtp.read-timeout-ms").trim());
        assertThat(shutdownMs).isGreaterThan(oneSendMs);
    }

    @Test
    void shouldRefuseCredentialsInClearOnTheDefaultServerUnlessAllowed() throws Exception {
        Properties p = shipped();
        assertThat(p.getProperty("mailbus.smtp.allow-plaintext-auth").trim()).isEqualTo("false");
        assertThat(p.getProperty("mailbus.smtp.server.default.uri"))
                .contains("&allowPlaintextAuth={{mailbus.smtp.allow-plaintext-auth}}");
    }
}
