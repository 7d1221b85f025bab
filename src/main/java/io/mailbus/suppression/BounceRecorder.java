package io.mailbus.suppression;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the status events the recorder receives (off the delivery path, {@code io.mailbus.status.StatusRecorder})
 * and puts every recipient refused for good ({@link HardBounces}) on its tenant's suppression list.
 */
public class BounceRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(BounceRecorder.class);

    private final SuppressionList list;

    public BounceRecorder(SuppressionList list) {
        this.list = list;
    }

    /** One status event, parsed once by the recorder; a database failure is thrown (the event comes again). */
    public void fromEvent(JsonNode event) {
        String scope = SuppressionList.scopeOf(event.path("tenant").isTextual() ? event.path("tenant").asText() : null);
        for (JsonNode r : event.path("recipients")) {
            String enhanced = r.path("enhancedCode").asText(null);
            if ("refused".equals(r.path("status").asText()) && HardBounces.isHard(enhanced)
                && !r.path("address").asText("").isEmpty()) {
                list.add(scope, new SuppressionList.Entry(r.path("address").asText(), "hard_bounce",
                        r.path("code").isInt() ? r.path("code").asInt() : null, enhanced, r.path("text").asText(null),
                        event.path("id").asText(null), null));
                LOG.info("{} suppressed after a hard bounce ({}) of request {}", r.path("address").asText(), enhanced,
                        event.path("id").asText());
            }
        }
    }
}
