package io.mailbus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MAILBUS_X_Y_FILE: the variable named from the setting, the file's value, and the conflicts refused. */
class SecretFilesTest {

    @Test
    void namesTheVariableAsCamelNamesTheEnvironmentOne() {
        assertThat(SecretFiles.variableOf("mailbus.smtp.trust-store-password"))
                .isEqualTo("MAILBUS_SMTP_TRUST_STORE_PASSWORD_FILE");
        assertThat(SecretFiles.variableOf("mailbus.smtp.server.bulk.uri")).isEqualTo("MAILBUS_SMTP_SERVER_BULK_URI_FILE");
    }

    @Test
    void readsTheValueWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret with spaces \n");
        SecretFiles source = new SecretFiles(Map.of("MAILBUS_SMTP_PASSWORD_FILE", file.toString()));

        assertThat(source.getProperty("mailbus.smtp.password")).isEqualTo("s3cret with spaces ");
        assertThat(source.getProperty("mailbus.smtp.username")).isNull();
        assertThat(source.getProperty("camel.main.name")).isNull();
    }

    @Test
    void refusesAValueGivenBothWays() {
        assertThatThrownBy(() -> new SecretFiles(Map.of("MAILBUS_SMTP_PASSWORD", "a",
                "MAILBUS_SMTP_PASSWORD_FILE", "/run/secrets/pw")))
                .hasMessageContaining("MAILBUS_SMTP_PASSWORD and MAILBUS_SMTP_PASSWORD_FILE are both set");
    }

    @Test
    void failsNamingTheVariableAndPathNotTheContent(@TempDir Path dir) {
        SecretFiles source = new SecretFiles(Map.of("MAILBUS_DB_PASSWORD_FILE", dir.resolve("missing").toString()));

        assertThatThrownBy(() -> source.getProperty("mailbus.db.password"))
                .hasMessageContaining("MAILBUS_DB_PASSWORD_FILE").hasMessageContaining("missing");
    }
}
