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

    static int count(String queue, String marker) throws Exception {
        try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue(queue));
            int n = 0;
            for (Object m : Collections.list(browser.getEnumeration())) {
                if (m instanceof jakarta.jms.TextMessage t && t.getText().contains(marker)) {
                    n++;
                }
            }
            return n;
        }
    }
}
