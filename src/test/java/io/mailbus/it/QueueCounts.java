package io.mailbus.it;

import java.util.Collections;

import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** How many messages on a queue of the test broker hold a marker in their text, left on the queue. */
final class QueueCounts {

    private QueueCounts() {
    }

    /** 0 for a queue the broker has not created yet (nothing was ever sent to it). */
    static int count(String queue, String marker) throws Exception {
        try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue(queue));
            java.util.List<?> messages;
            try {
                messages = Collections.list(browser.getEnumeration());
            } catch (jakarta.jms.InvalidDestinationException neverCreated) {
                return 0;
            }
            int n = 0;
            for (Object m : messages) {
                if (m instanceof jakarta.jms.TextMessage t && t.getText().contains(marker)) {
                    n++;
                }
            }
            return n;
        }
    }
}
