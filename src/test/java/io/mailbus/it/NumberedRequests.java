package io.mailbus.it;

import java.util.List;
import java.util.stream.IntStream;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Load for the crash and outage tests: numbered requests whose id and subject say the test, the run and the
 * ingress ({@code "<kind> <run> <ingress> <n>"}), queued on JMS in one transaction or on Kafka and flushed.
 */
final class NumberedRequests {

    private NumberedRequests() {
    }

    static List<String> of(String kind, String run, String ingress, int count) {
        return IntStream.range(0, count).mapToObj(i -> """
                {"id": "%s-%s-%s-%d", "to": ["%s-%s@example.com"], "subject": "%s %s %s %d", "text": "n %d"}
                """.formatted(kind, run, ingress, i, kind, run, kind, run, ingress, i, i)).toList();
    }

    static void onJms(List<String> bodies) throws Exception {
        try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createQueue("email.send"));
            for (String body : bodies) {
                producer.send(s.createTextMessage(body));
            }
            s.commit();
        }
    }

    static void onKafka(String topic, List<String> bodies) throws Exception {
        try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
            for (String body : bodies) {
                producer.send(new ProducerRecord<>(topic, body));
            }
            producer.flush();
        }
    }
}
