package io.mailbus.it;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.jms.TextMessage;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the bus ingresses end to end: the same JSON on the Artemis queue email.send and on the Kafka topic
 * email.send arrives in GreenMail with the requested recipients, subject and body; an invalid request on
 * the queue ends on email.invalid with its original payload, and inbound transport headers cannot add a
 * recipient.
 */
class JmsKafkaIngressIT extends MailbusTestSupport {

    @Override
    protected void overrides(java.util.Properties p) {
        p.put("mailbus.bus.max-message-bytes", "65536");
    }

    @Test
    void shouldDeliverARequestFromTheJmsQueue() throws Exception {
        String subject = "jms " + UUID.randomUUID();
        sendJms("email.send", """
                {"to": ["bob@example.com"], "subject": "%s", "text": "Hello over JMS"}
                """.formatted(subject), Map.of());

        MimeMessage mail = Mailboxes.awaitSubject(greenMail(), subject, 1).get(0);
        assertThat(mail.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("bob@example.com");
        assertThat(GreenMailUtil.getBody(mail)).contains("Hello over JMS");
    }

    @Test
    void shouldDeliverARequestFromTheKafkaTopic() throws Exception {
        String subject = "kafka " + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>("email.send", """
                    {"to": ["dave@example.com"], "subject": "%s", "text": "Hello over Kafka"}
                    """.formatted(subject));
            // a transport header that tries to add a recipient must change nothing
            record.headers().add("CamelSmtpPoolEnvelopeTo", "mallory@evil.example".getBytes());
            record.headers().add("To", "mallory@evil.example".getBytes());
            producer.send(record).get();
        }

        MimeMessage mail = Mailboxes.awaitSubject(greenMail(), subject, 1).get(0);
        assertThat(mail.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("dave@example.com");
        assertThat(GreenMailUtil.getBody(mail)).contains("Hello over Kafka");
        assertThat(Mailboxes.withSubject(greenMail(), subject)).hasSize(1);
        assertThat(greenMail().getUserManager().getUserByEmail("mallory@evil.example")).isNull();
    }

    @Test
    void shouldIgnoreJmsPropertiesThatTryToAddRecipients() throws Exception {
        String subject = "jms-headers " + UUID.randomUUID();
        sendJms("email.send", """
                {"to": ["erin@example.com"], "subject": "%s", "text": "x"}
                """.formatted(subject), Map.of("CamelSmtpPoolEnvelopeTo", "mallory2@evil.example", "Bcc", "mallory2@evil.example"));

        List<MimeMessage> mails = Mailboxes.awaitSubject(greenMail(), subject, 1);
        assertThat(mails).hasSize(1);
        assertThat(greenMail().getUserManager().getUserByEmail("mallory2@evil.example")).isNull();
    }

    @Test
    void shouldMoveAnInvalidJmsRequestToEmailInvalidWithItsPayloadAndErrors() throws Exception {
        String payload = """
                {"to": ["nobody-at-all"], "subject": "invalid %s", "text": "x", "headers": {"Bcc": "x@example.com"}}
                """.formatted(UUID.randomUUID());
        sendJms("email.send", payload, Map.of());

        try (BusClient bus = new BusClient()) {
            TextMessage moved = bus.receive("email.invalid", payload.trim());
            assertThat(moved).isNotNull();
            assertThat(moved.getText()).isEqualTo(payload);
            assertThat(moved.getStringProperty("MailbusErrorCodes")).contains("invalid_address", "header_not_allowed");
            assertThat(moved.getStringProperty("MailbusErrors")).contains("\"field\":\"to[0]\"");
            assertThat(moved.getStringProperty("MailbusIngress")).isEqualTo("jms");
        }
    }

    @Test
    void shouldMoveAnInvalidKafkaRecordToEmailInvalid() throws Exception {
        String payload = """
                {"to": ["k@example.com"], "subject": "invalid kafka %s", "text": "x", "attachments": [{"filename": "a/b.txt", "contentType": "text/plain", "data": "!!!"}]}
                """.formatted(UUID.randomUUID());
        try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
            producer.send(new ProducerRecord<>("email.send", payload)).get();
        }

        try (BusClient bus = new BusClient()) {
            TextMessage moved = bus.receive("email.invalid", payload.trim());
            assertThat(moved).isNotNull();
            assertThat(moved.getText()).isEqualTo(payload);
            assertThat(moved.getStringProperty("MailbusErrorCodes")).contains("invalid_filename", "invalid_base64");
            assertThat(moved.getStringProperty("MailbusIngress")).isEqualTo("kafka");
        }
    }

    @Test
    void shouldRefuseAKafkaRecordOverTheLimitOrNotUtf8BeforeParsingIt() throws Exception {
        String marker = UUID.randomUUID().toString();
        byte[] huge = ("{\"id\": \"huge-" + marker + "\", \"text\": \"" + "x".repeat(300_000) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] latin1 = ("{\"subject\": \"caf\u00e9 " + marker + "\"}").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestBrokers.kafka().bootstrapServers(),
                org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("email.send", huge)).get();
            producer.send(new ProducerRecord<>("email.send", latin1)).get();
        }

        try (BusClient bus = new BusClient()) {
            TextMessage tooLarge = bus.receive("email.invalid", "huge-" + marker);
            assertThat(tooLarge).isNotNull();
            assertThat(tooLarge.getStringProperty("MailbusErrorCodes")).isEqualTo("message_too_large");
            assertThat(tooLarge.getText().length()).isLessThanOrEqualTo(1024);
            TextMessage notUtf8 = bus.receive("email.invalid", marker);
            assertThat(notUtf8).isNotNull();
            assertThat(notUtf8.getStringProperty("MailbusErrorCodes")).isEqualTo("invalid_encoding");
        }
    }

    private static void sendJms(String queue, String body, Map<String, String> properties) throws Exception {
        try (BusClient bus = new BusClient()) {
            bus.send(queue, body, properties);
        }
    }
}
