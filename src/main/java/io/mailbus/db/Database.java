package io.mailbus.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL that holds what several instances must share (delivered ids, Idempotency-Keys, message status):
 * a HikariCP pool, and the schema brought up to date by Flyway from {@code db/migration} before anything uses it, so
 * every instance that starts runs against the schema its code expects (Flyway's lock makes concurrent starts safe).
 */
public final class Database {

    private Database() {
    }

    /**
     * A pool on {@code url}. A database that cannot be reached fails start-up after the connection timeout, with
     * the driver's reason, rather than later in a route.
     */
    public static HikariDataSource open(String url, String username, String password, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mailbus-db");
        config.setJdbcUrl(url);
        if (username != null && !username.isEmpty()) {
            config.setUsername(username);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(maxPoolSize);
        config.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /**
     * The password: the contents of {@code passwordFile} when one is named (the Docker and Kubernetes secrets
     * convention, {@code MAILBUS_DB_PASSWORD_FILE}; one trailing line break dropped), else {@code password}.
     */
    public static String password(String password, String passwordFile) {
        if (passwordFile == null || passwordFile.isBlank()) {
            return password;
        }
        try {
            return Files.readString(Path.of(passwordFile.trim()), StandardCharsets.UTF_8).replaceFirst("\r?\n$", "");
        } catch (IOException e) {
            // the path is not a secret; the contents are never printed
            throw new UncheckedIOException("mailbus.db.password-file " + passwordFile + " cannot be read", e);
        }
    }
}
