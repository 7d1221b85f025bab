package io.mailbus.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes rows older than their table's retention, every {@code interval}, in bounded batches over an indexed time
 * column: no message pays for it, and no long transaction holds the table. Every instance runs it; two deleting the
 * same rows is harmless.
 */
public final class ExpiredRows extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredRows.class);
    static final int BATCH = 5_000;

    private record Table(String name, String timeColumn, Duration retention) {
    }

    private final CamelContext context;
    private final DataSource dataSource;
    private final Duration interval;
    private final Clock clock;
    private final List<Table> tables = new ArrayList<>();
    private ScheduledExecutorService executor;

    public ExpiredRows(CamelContext context, DataSource dataSource, Duration interval, Clock clock) {
        this.context = context;
        this.dataSource = dataSource;
        this.interval = interval;
        this.clock = clock;
    }

    /** Rows of {@code table} whose {@code timeColumn} (indexed) is older than {@code retention} are deleted. */
    public ExpiredRows expire(String table, String timeColumn, Duration retention) {
        tables.add(new Table(table, timeColumn, retention));
        return this;
    }

    /** One pass over every table; returns the rows deleted. */
    public int runOnce() throws SQLException {
        int deleted = 0;
        for (Table t : tables) {
            Timestamp cutoff = Timestamp.from(clock.instant().minus(t.retention()));
            String sql = "DELETE FROM " + t.name() + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + t.name()
                         + " WHERE " + t.timeColumn() + " < ? LIMIT " + BATCH + "))";
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                int n;
                do {
                    ps.setTimestamp(1, cutoff);
                    n = ps.executeUpdate();
                    deleted += n;
                } while (n == BATCH && isRunAllowed());
            }
        }
        return deleted;
    }

    @Override
    protected void doStart() {
        executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "mailbus-expired-rows");
        executor.scheduleWithFixedDelay(() -> {
            try {
                int n = runOnce();
                if (n > 0) {
                    LOG.info("Deleted {} expired rows", n);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Deleting expired rows failed (next try in {}): {}", interval, e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (executor != null) {
            context.getExecutorServiceManager().shutdownNow(executor);
        }
    }
}
