package io.mailbus.status;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One event from {@code email.events} as the recorder stores it, parsed once: the columns of
 * {@code message_events}, the JSON as published (the history answers with it unchanged), and the tree for whoever
 * else reads it in the same batch (the bounce recorder).
 */
public record StatusEvent(String requestId, String tenant, String name, int attempt, Instant at, String json,
                          JsonNode tree) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException when the text is not a status event (it is then logged and skipped) */
    public static StatusEvent parse(String json) {
        JsonNode event;
        try {
            event = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a status event: not JSON", e);
        }
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("not a status event: not a JSON object");
        }
        String id = event.path("id").asText("");
        String name = event.path("event").asText("");
        if (id.isEmpty() || id.length() > 128 || name.isEmpty() || name.length() > 32) {
            throw new IllegalArgumentException("not a status event: no id or event name");
        }
        // the column's width (V3): a longer name is no tenant of this installation's
        String tenant = event.path("tenant").isTextual() ? event.path("tenant").asText() : null;
        if (tenant != null && tenant.length() > 64) {
            throw new IllegalArgumentException("not a status event: tenant longer than 64 characters");
        }
        Instant at;
        try {
            at = Instant.parse(event.path("timestamp").asText());
        } catch (RuntimeException e) {
            at = Instant.now();
        }
        return new StatusEvent(id, tenant, name, event.path("attempt").asInt(0), at, json, event);
    }
}
