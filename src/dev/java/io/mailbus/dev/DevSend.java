package io.mailbus.dev;

import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts one JSON send request on the dev runner's bus, so a new user needs no Artemis or Kafka tools:
 * {@code mvn -q -Pdev exec:java -Ddev.main=io.mailbus.dev.DevSend -Dexec.args="jms '{...}'"}
 * ({@code jms} or {@code kafka}; brokers from MAILBUS_JMS_URL / MAILBUS_KAFKA_BROKERS or the dev defaults).
 */
public final class DevSend {

    private DevSend() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("jms") || args[0].equals("kafka"))) {
            System.err.println("usage: DevSend jms|kafka '<json send request>'");
            System.exit(2);
        }
        if (args[0].equals("jms")) {
            String url = System.getenv().getOrDefault("MAILBUS_JMS_URL", "tcp://127.0.0.1:61616");
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
                 Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("email.send")).send(session.createTextMessage(args[1]));
            }
            System.out.println("sent to JMS queue email.send at " + url);
        } else {
            String brokers = System.getenv().getOrDefault("MAILBUS_KAFKA_BROKERS", "127.0.0.1:9092");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                producer.send(new ProducerRecord<>("email.send", args[1])).get();
            }
            System.out.println("sent to Kafka topic email.send at " + brokers);
        }
        System.exit(0);
    }
}
