package io.mailbus.db;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivered request ids in PostgreSQL through Camel's own JDBC idempotent repository (camel-sql), on the table
 * Flyway made (V1: wider ids than Camel's own CREATE, and an index for the retention cleanup). Two instances marking
 * the same id at once is not an error: the insert ignores a row that exists.
 */
public final class DeliveredIdsTable {

    static final String TABLE = "camel_messageprocessed";
    static final String PROCESSOR = "mailbus-delivered";

    private DeliveredIdsTable() {
    }

    /** Not started: the caller adds it to the Camel context as a service. */
    public static JdbcMessageIdRepository repository(DataSource dataSource) {
        // each call is one statement: no transaction of its own around it (Camel's default begins and commits one per
        // call, two more round trips), only the pool's autocommit
        TransactionTemplate oneStatement = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        oneStatement.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, oneStatement, PROCESSOR) {
            /**
             * One INSERT … ON CONFLICT DO NOTHING: Camel's add counts the id first (a SELECT, another round trip,
             * 8 % of a delivery thread's CPU samples in issue 13's profile), which the conflict clause makes
             * redundant. True when this call added the id.
             */
            @Override
            public boolean add(String key) {
                return insert(key) > 0;
            }
        };
        repository.setCreateTableIfNotExists(false);
        repository.setInsertString("INSERT INTO " + TABLE + " (processorName, messageId, createdAt) VALUES (?, ?, ?) "
                                   + "ON CONFLICT DO NOTHING");
        return repository;
    }
}
