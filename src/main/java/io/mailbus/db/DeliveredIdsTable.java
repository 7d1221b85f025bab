package io.mailbus.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivered request ids in PostgreSQL as Camel's JDBC idempotent repository (camel-sql), on the table Flyway made
 * (V1: wider ids than Camel's own CREATE, and an index for the retention cleanup). The two calls every attempt makes,
 * {@code contains} and {@code add}, are one plain statement each (below, why); the rest is Camel's. Two instances
 * marking the same id at once is not an error: the insert ignores a row that exists.
 */
public final class DeliveredIdsTable {

    static final String TABLE = "camel_messageprocessed";
    static final String PROCESSOR = "mailbus-delivered";
    private static final String CONTAINS = "SELECT 1 FROM " + TABLE + " WHERE processorName = ? AND messageId = ?";
    private static final String INSERT = "INSERT INTO " + TABLE + " (processorName, messageId, createdAt) "
                                         + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

    private DeliveredIdsTable() {
    }

    /** Not started: the caller adds it to the Camel context as a service. */
    public static JdbcMessageIdRepository repository(DataSource dataSource) {
        // each call is one statement: no transaction of its own around it (Camel's default begins and commits one per
        // call, two more round trips), only the pool's autocommit
        TransactionTemplate oneStatement = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        oneStatement.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
        // inside the subclass "dataSource" would be Camel's own field, which that constructor leaves unset
        DataSource db = dataSource;
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, oneStatement, PROCESSOR) {
            /**
             * One INSERT … ON CONFLICT DO NOTHING: Camel's add counts the id first (a SELECT, another round trip,
             * 8 % of a delivery thread's CPU samples in issue 13's profile), which the conflict clause makes
             * redundant. True when this call added the id.
             */
            @Override
            public boolean add(String key) {
                return update(db, INSERT, key) > 0;
            }

            /**
             * Plain JDBC: Camel's goes through a Spring transaction template (even one that only supports a
             * transaction begins and completes its bookkeeping) and a JdbcTemplate around the same one query, a
             * quarter of the call's CPU on every attempt in issue 13's profile.
             */
            @Override
            public boolean contains(String key) {
                try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(CONTAINS)) {
                    ps.setString(1, PROCESSOR);
                    ps.setString(2, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("delivered ids not readable", e);
                }
            }
        };
        repository.setCreateTableIfNotExists(false);
        return repository;
    }

    private static int update(DataSource dataSource, String sql, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, PROCESSOR);
            ps.setString(2, key);
            ps.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("delivered id not recorded", e);
        }
    }
}
