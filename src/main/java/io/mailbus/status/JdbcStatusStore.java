package io.mailbus.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/** Tables {@code message_events} and {@code message_owners} (Flyway V3). */
final class JdbcStatusStore implements StatusStore {

    private static final String RECORD = """
            INSERT INTO message_events (request_id, tenant, event, attempt, at, body) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String CLAIM = "INSERT INTO message_owners (request_id, owner) VALUES (?, ?) ON CONFLICT DO NOTHING";
    private static final String HISTORY = """
            SELECT e.body FROM message_events e
            WHERE e.request_id = ? AND (e.tenant IS NULL OR e.tenant = ?)
              AND NOT EXISTS (SELECT 1 FROM message_owners o WHERE o.request_id = e.request_id AND o.owner <> ?)
            ORDER BY e.at, e.seq""";

    private final DataSource dataSource;

    JdbcStatusStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One transaction and one batched statement for all of them: the recorder's commit is a disk sync. */
    @Override
    public void record(List<StatusEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(RECORD)) {
                for (StatusEvent e : events) {
                    ps.setString(1, e.requestId());
                    ps.setString(2, e.tenant());
                    ps.setString(3, e.name());
                    ps.setInt(4, e.attempt());
                    ps.setTimestamp(5, Timestamp.from(e.at()));
                    ps.setString(6, e.json());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("status events not recorded", e);
        }
    }

    @Override
    public void claim(String requestId, String owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, requestId);
            ps.setString(2, owner);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("request owner not recorded", e);
        }
    }

    @Override
    public Optional<List<String>> history(String requestId, String owner, String tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(HISTORY)) {
            ps.setString(1, requestId);
            ps.setString(2, tenant);
            ps.setString(3, owner);
            List<String> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getString(1));
                }
            }
            return events.isEmpty() ? Optional.empty() : Optional.of(events);
        } catch (SQLException e) {
            throw new IllegalStateException("status not readable", e);
        }
    }
}
