package io.mailbus.status;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.outcome.DeliveryEvent;

/**
 * The answer of {@code GET /api/v1/messages/{id}}: where the request stands and how it got there.
 *
 * @param id        the request id
 * @param state     the latest event's name (queued, delivered, partial, deferred, rejected, invalid, failed); a
 *                  {@code duplicate} (the same request sent again after delivery) does not replace an earlier state
 * @param updatedAt when that state was reached
 * @param events    every status event of the request, oldest first, as published on {@code email.events}: time,
 *                  attempt, per-recipient replies
 */
public record MessageStatusView(String id, String state, String updatedAt, List<DeliveryEvent> events) {

    // events recorded by a newer version may carry fields this one does not know
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** From the recorded events, oldest first. */
    static MessageStatusView of(String id, List<String> eventJson) {
        List<DeliveryEvent> events = new ArrayList<>();
        for (String json : eventJson) {
            try {
                events.add(JSON.readValue(json, DeliveryEvent.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a recorded event of " + id + " is not readable", e);
            }
        }
        DeliveryEvent current = events.get(events.size() - 1);
        for (int i = events.size() - 1; i >= 0; i--) {
            if (!"duplicate".equals(events.get(i).event())) {
                current = events.get(i);
                break;
            }
        }
        return new MessageStatusView(id, current.event(), current.timestamp(), events);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
