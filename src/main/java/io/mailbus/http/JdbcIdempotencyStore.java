package io.mailbus.http;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

/**
 * Keys in the table {@code http_idempotency_keys}, shared by every instance. The reservation is one statement: the
 * primary key decides which of two concurrent requests with the same key inserts (or takes over an expired row),
 * so both never queue; the loser reads the winner's row.
 */
final class JdbcIdempotencyStore implements IdempotencyStore {

    private static final String RESERVE = """
            INSERT INTO http_idempotency_keys (scoped_key, body_sha256, created_at) VALUES (?, ?, ?)
            ON CONFLICT (scoped_key) DO UPDATE
                SET body_sha256 = EXCLUDED.body_sha256, created_at = EXCLUDED.created_at, status = NULL, response = NULL
                WHERE http_idempotency_keys.created_at <= ?""";
    private static final String READ = "SELECT body_sha256, status, response FROM http_idempotency_keys WHERE scoped_key = ?";
    private static final String COMPLETE = "UPDATE http_idempotency_keys SET status = ?, response = ? WHERE scoped_key = ?";
    private static final String RELEASE = "DELETE FROM http_idempotency_keys WHERE scoped_key = ? AND response IS NULL";

    private final DataSource dataSource;

    JdbcIdempotencyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Entry reserve(String key, byte[] bodySha256, Instant now, Duration ttl) {
        try (Connection c = dataSource.getConnection()) {
            // a row may be deleted (released, expired) between our insert losing and our read: try again, bounded
            for (int i = 0; i < 3; i++) {
                try (PreparedStatement ps = c.prepareStatement(RESERVE)) {
                    ps.setString(1, key);
                    ps.setBytes(2, bodySha256);
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setTimestamp(4, Timestamp.from(now.minus(ttl)));
                    if (ps.executeUpdate() == 1) {
                        return null;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(READ)) {
                    ps.setString(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            int status = rs.getInt(2);
                            return new Entry(rs.getBytes(1), rs.wasNull() ? null : status, rs.getString(3));
                        }
                    }
                }
            }
            throw new IllegalStateException("Idempotency-Key could neither be reserved nor read");
        } catch (SQLException e) {
            throw new IllegalStateException("Idempotency-Key store unavailable", e);
        }
    }

    @Override
    public void complete(String key, int status, String response) {
        update(COMPLETE, ps -> {
            ps.setInt(1, status);
            ps.setString(2, response);
            ps.setString(3, key);
        });
    }

    @Override
    public void release(String key) {
        update(RELEASE, ps -> ps.setString(1, key));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Idempotency-Key store unavailable", e);
        }
    }
}
