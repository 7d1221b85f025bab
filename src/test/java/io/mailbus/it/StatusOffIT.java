package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code mailbus.status.consumers=0}: status recording off. The subscription an earlier run left on email.events is
 * removed at start (events would otherwise pile up in it for a recorder that never comes), mail is still delivered,
 * and the status endpoint has nothing to tell.
 */
class StatusOffIT extends MailbusTestSupport {

    private static final String SUBSCRIPTION = "mailbus-status";

    @Override
    protected void overrides(Properties p) {
        p.put("mailbus.status.consumers", "0");
        // the subscription a run with recording on left behind
        try (ActiveMQConnectionFactory f = new ActiveMQConnectionFactory(TestBrokers.artemis().url());
             Connection c = f.createConnection(); Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            s.createSharedDurableConsumer(s.createTopic("email.events"), SUBSCRIPTION).close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(subscriptionExists()).isTrue();
    }

    private static boolean subscriptionExists() {
        try {
            return TestBrokers.artemis().broker().getActiveMQServer().locateQueue(SimpleString.of(SUBSCRIPTION)) != null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSubscriptionIsRemovedAndMailStillGoesOut() throws Exception {
        assertThat(subscriptionExists()).as("removed at start").isFalse();

        String subject = "status-off " + UUID.randomUUID();
        HttpResponse<String> queued = post("""
                {"to": ["off@example.com"], "subject": "%s", "text": "x"}""".formatted(subject), API_KEY);
        assertThat(queued.statusCode()).isEqualTo(202);
        String id = new ObjectMapper().readTree(queued.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> java.util.Arrays.stream(greenMail().getReceivedMessages())
                .anyMatch(m -> {
                    try {
                        return subject.equals(m.getSubject());
                    } catch (Exception e) {
                        return false;
                    }
                }));

        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort()
                + "/api/v1/messages/" + id)).header("Authorization", "Bearer " + API_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(404);
        assertThat(subscriptionExists()).as("not created again").isFalse();
    }
}
