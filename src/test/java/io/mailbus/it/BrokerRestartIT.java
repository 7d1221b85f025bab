package io.mailbus.it;

import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins that a broker restart in the middle of a flow loses nothing: the Artemis broker is stopped while
 * requests are being delivered and started again on the same journal; the application reconnects by itself
 * and every request queued before the stop is delivered.
 */
class BrokerRestartIT extends MailbusTestSupport {

    private static final int COUNT = 120;

    @Override
    protected void overrides(Properties p) {
        p.put("mailbus.kafka.enabled", "false");
        p.put("mailbus.jms.concurrent-consumers", "2");
        p.put("mailbus.jms.max-concurrent-consumers", "2");
    }

    @Test
    void shouldDeliverEveryQueuedRequestAcrossABrokerRestart() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            var producer = s.createProducer(s.createQueue("email.send"));
            for (int i = 0; i < COUNT; i++) {
                producer.send(s.createTextMessage("""
                        {"id": "restart-%s-%d", "to": ["restart@example.com"], "subject": "restart %s %d", "text": "x"}
                        """.formatted(run, i, run, i)));
            }
            s.commit();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> delivered(run).size() >= 10);

        TestBrokers.stopArtemis();
        int duringOutage = delivered(run).size();
        TestBrokers.startArtemisAgain();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> delivered(run).size() == COUNT);
        System.out.printf("broker restart: %d of %d delivered when the broker stopped%n", duringOutage, COUNT);
        assertThat(delivered(run)).hasSize(COUNT);
    }

    private Set<String> delivered(String run) {
        return new HashSet<>(Mailboxes.subjectsStartingWith(greenMail(), "restart " + run + " "));
    }
}
