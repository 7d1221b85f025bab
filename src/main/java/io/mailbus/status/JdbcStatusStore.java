package io.mailbus.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Tables {@code message_events} and {@code message_owners} (Flyway V3). */
final class JdbcStatusStore implements StatusStore {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    @Override
    public void record(String eventJson) {
        JsonNode event;
        try {
            event = JSON.readTree(eventJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a status event: not JSON", e);
        }
        String id = event.path("id").asText("");
        String name = event.path("event").asText("");
        if (id.isEmpty() || id.length() > 128 || name.isEmpty() || name.length() > 32) {
            throw new IllegalArgumentException("not a status event: no id or event name");
        }
        String tenant = event.path("tenant").isTextual() ? event.path("tenant").asText() : null;
        Instant at;
        try {
            at = Instant.parse(event.path("timestamp").asText());
        } catch (RuntimeException e) {
            at = Instant.now();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RECORD)) {
            ps.setString(1, id);
            ps.setString(2, tenant);
            ps.setString(3, name);
            ps.setInt(4, event.path("attempt").asInt(0));
            ps.setTimestamp(5, Timestamp.from(at));
            ps.setString(6, eventJson);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("status event not recorded", e);
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
