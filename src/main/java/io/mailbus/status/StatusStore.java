package io.mailbus.status;

import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The recorded history of each request: its status events, and who submitted it over HTTP. In PostgreSQL, or
 * nowhere when Mailbus runs without a database (then every lookup is empty).
 */
public interface StatusStore {

    /**
     * Records status events (as published on email.events) all or none; a repeat of an event already recorded is
     * ignored, so a batch delivered again after a crash records nothing twice.
     */
    void record(List<StatusEvent> events);

    /** The caller that submits {@code requestId} over HTTP; the first one to submit an id owns it. */
    void claim(String requestId, String owner);

    /**
     * The events of {@code requestId} in the order they happened, if the caller may see them: the request is not
     * owned by another caller, and its events are of the caller's tenant (or of none).
     */
    Optional<List<String>> history(String requestId, String owner, String tenant);

    static StatusStore postgres(DataSource dataSource) {
        return new JdbcStatusStore(dataSource);
    }

    static StatusStore none() {
        return new StatusStore() {
            @Override
            public void record(List<StatusEvent> events) {
            }

            @Override
            public void claim(String requestId, String owner) {
            }

            @Override
            public Optional<List<String>> history(String requestId, String owner, String tenant) {
                return Optional.empty();
            }
        };
    }
}
