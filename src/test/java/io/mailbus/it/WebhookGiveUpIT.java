package io.mailbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.MailbusHeaders;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

/**
 * An endpoint that never answers (its port is closed) is tried on the schedule, then given up: the delivery ends on
 * email.webhooks.dlq with the event as its body, the endpoint's name, the number of attempts and the last error.
 * The mail itself is delivered all the same.
 */
class WebhookGiveUpIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void overrides(Properties p) {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("mailbus.webhooks.enabled", "true");
        p.put("mailbus.webhooks", "gone");
        p.put("mailbus.webhooks.gone.url", "http://127.0.0.1:" + closed + "/hook");
        p.put("mailbus.webhooks.gone.secret", "s");
        p.put("mailbus.webhooks.gone.events", "delivered");
        p.put("mailbus.webhooks.retry", "100,100,100");
        p.put("mailbus.webhooks.max-age", "10m");
    }

    @Test
    void aDeadEndpointIsTriedOnTheScheduleThenDeadLettered() throws Exception {
        bus(); // subscribed to the events before the request is sent
        HttpResponse<String> r = post("""
                {"to": ["gone@example.com"], "subject": "webhook give up", "text": "x"}""", API_KEY);
        assertThat(r.statusCode()).isEqualTo(202);
        String id = JSON.readTree(r.body()).path("id").asText();
        JsonNode delivered = bus().awaitEvent(id, BusClient.named("delivered")).stream()
                .filter(BusClient.named("delivered")).findFirst().orElseThrow();

        TextMessage dead = bus().receive("email.webhooks.dlq", delivered.path("eventId").asText());
        assertThat(dead).as("the delivery on email.webhooks.dlq").isNotNull();
        assertThat(JSON.readTree(dead.getText())).isEqualTo(delivered);
        assertThat(dead.getStringProperty(MailbusHeaders.WEBHOOK_TARGET)).isEqualTo("gone");
        assertThat(dead.getStringProperty(MailbusHeaders.WEBHOOK_ATTEMPT)).isEqualTo("4");
        assertThat(dead.getStringProperty(MailbusHeaders.EVENT_ID)).isEqualTo(delivered.path("eventId").asText());
        assertThat(dead.getStringProperty(MailbusHeaders.WEBHOOK_LAST_ERROR)).contains("ConnectException");
    }
}
