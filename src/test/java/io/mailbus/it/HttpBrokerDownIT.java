package io.mailbus.it;

import java.net.http.HttpResponse;
import java.util.Properties;

import io.mailbus.dev.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins that a request the broker cannot take is answered 503, never 202: nothing was accepted. */
class HttpBrokerDownIT extends MailbusTestSupport {

    @Override
    protected void overrides(Properties p) {
        // nothing listens there
        p.put("mailbus.jms.url", "tcp://127.0.0.1:" + FreePorts.next() + "?reconnectAttempts=0&initialConnectAttempts=1");
        p.put("mailbus.kafka.enabled", "false");
    }

    @Test
    void shouldAnswer503WhenTheQueueIsUnreachable() throws Exception {
        HttpResponse<String> response = post("""
                {"to": ["a@example.com"], "subject": "s", "text": "x"}
                """, API_KEY);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("queue_unavailable");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }
}
