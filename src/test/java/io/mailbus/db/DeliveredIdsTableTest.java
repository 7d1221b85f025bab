package io.mailbus.db;

import java.sql.Connection;
import java.sql.ResultSet;

import com.zaxxer.hikari.HikariDataSource;
import io.mailbus.it.TestBrokers;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the delivered-ids table as the deliver route uses it, on PostgreSQL with the Flyway schema: an id is added
 * once (a second add, from this or another instance, reports it was there and leaves one row), and is then seen.
 */
class DeliveredIdsTableTest {

    private HikariDataSource dataSource;
    private JdbcMessageIdRepository repository;

    @BeforeEach
    void open() throws Exception {
        dataSource = Database.open(TestBrokers.newDatabase(), "", "", 4);
        repository = DeliveredIdsTable.repository(dataSource);
        repository.start();
    }

    @AfterEach
    void close() {
        repository.stop();
        dataSource.close();
    }

    @Test
    void anIdIsAddedOnceAndThenSeenByEveryInstance() throws Exception {
        JdbcMessageIdRepository other = DeliveredIdsTable.repository(dataSource);
        other.start();

        assertThat(repository.contains("req-1:abc")).isFalse();
        assertThat(repository.add("req-1:abc")).isTrue();
        assertThat(other.add("req-1:abc")).isFalse();
        assertThat(other.contains("req-1:abc")).isTrue();
        assertThat(repository.contains("req-2:abc")).isFalse();

        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM camel_messageprocessed WHERE messageId = 'req-1:abc'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        other.stop();
    }
}
