package io.mailbus.suppression;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

/** Table {@code suppressions} (Flyway V4). */
final class JdbcSuppressionList implements SuppressionList {

    private static final String COLUMNS = "address, reason, smtp_code, enhanced_code, smtp_text, request_id, created_at";
    private static final String ADD = """
            INSERT INTO suppressions (scope, address, reason, smtp_code, enhanced_code, smtp_text, request_id)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String SUPPRESSED = "SELECT address FROM suppressions WHERE scope = ? AND address = ANY (?)";
    private static final String GET = "SELECT " + COLUMNS + " FROM suppressions WHERE scope = ? AND address = ?";
    private static final String REMOVE = "DELETE FROM suppressions WHERE scope = ? AND address = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM suppressions WHERE scope = ? AND address > ? "
                                       + "ORDER BY address LIMIT ?";

    private final DataSource dataSource;

    JdbcSuppressionList(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static String lower(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    @Override
    public void add(String scope, Entry e) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ADD)) {
            ps.setString(1, scope);
            ps.setString(2, lower(e.address()));
            ps.setString(3, e.reason());
            ps.setObject(4, e.smtpCode());
            ps.setString(5, e.enhancedCode());
            ps.setString(6, e.text());
            ps.setString(7, e.requestId());
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw new IllegalStateException("suppression not recorded", ex);
        }
    }

    @Override
    public Set<String> suppressed(String scope, Collection<String> addresses) {
        if (addresses.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SUPPRESSED)) {
            Array array = c.createArrayOf("varchar", addresses.stream().map(JdbcSuppressionList::lower).toArray());
            ps.setString(1, scope);
            ps.setArray(2, array);
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException ex) {
            throw new IllegalStateException("suppression list unavailable", ex);
        }
    }

    @Override
    public Optional<Entry> get(String scope, String address) {
        List<Entry> found = query(GET, scope, lower(address), null);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public boolean remove(String scope, String address) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(REMOVE)) {
            ps.setString(1, scope);
            ps.setString(2, lower(address));
            return ps.executeUpdate() > 0;
        } catch (SQLException ex) {
            throw new IllegalStateException("suppression list unavailable", ex);
        }
    }

    @Override
    public List<Entry> list(String scope, String after, int limit) {
        return query(LIST, scope, after == null ? "" : lower(after), limit);
    }

    private List<Entry> query(String sql, String scope, String address, Integer limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, scope);
            ps.setString(2, address);
            if (limit != null) {
                ps.setInt(3, limit);
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt(3);
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.wasNull() ? null : code, rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant().toString()));
                }
            }
            return out;
        } catch (SQLException ex) {
            throw new IllegalStateException("suppression list unavailable", ex);
        }
    }
}
