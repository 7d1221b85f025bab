package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins the plain-SMTP happy path against a real server: the bytes arrive unchanged, the result headers are set and
 * consecutive messages share one pooled connection.
 */
class SmtpPoolGreenMailIT extends SmtpPoolTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private String uri() {
        return "smtp-pool:127.0.0.1:" + greenMail.getSmtp().getPort();
    }

    @Test
    void shouldDeliverRawBytesAndReportSuccessHeaders() throws Exception {
        byte[] raw = TestMessages.raw("<one@mailbus.test>", "hello", 2_000);

        Exchange result = template.send(uri(), TestMessages.exchange(context, raw, "sender@example.com",
                                                                     List.of("rcpt@example.com", "bcc@example.com")));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(SmtpPoolConstants.MESSAGE_ID)).isEqualTo("<one@mailbus.test>");
        assertThat(result.getMessage().getHeader(SmtpPoolConstants.ACCEPTED_RECIPIENTS, List.class))
                .containsExactly("rcpt@example.com", "bcc@example.com");
        assertThat(result.getMessage().getHeader(SmtpPoolConstants.REPLY, String.class)).startsWith("250");
        assertThat(result.getMessage().getHeader(SmtpPoolConstants.CONNECTION_REUSE_COUNT)).isEqualTo(0);
        DeliveryResult delivery = result.getMessage().getHeader(SmtpPoolConstants.DELIVERY_RESULT, DeliveryResult.class);
        assertThat(delivery.status()).isEqualTo(DeliveryStatus.SUCCESS);
        assertThat(delivery.smtpCode()).isEqualTo(250);

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2); // one per recipient
        assertThat(received[0].getMessageID()).isEqualTo("<one@mailbus.test>");
        assertThat(received[0].getContent().toString()).contains(".starts with a dot");
    }

    @Test
    void shouldSendConsecutiveMessagesOverOnePooledConnection() {
        for (int i = 0; i < 5; i++) {
            Exchange result = template.send(uri(), TestMessages.exchange(context, TestMessages.raw("<m" + i + "@t>", "n", 500),
                                                                         "sender@example.com", List.of("rcpt@example.com")));
            assertThat(result.getException()).isNull();
            assertThat(result.getMessage().getHeader(SmtpPoolConstants.CONNECTION_REUSE_COUNT)).isEqualTo(i);
        }
        SmtpPoolStatistics stats = onlyPoolStatistics();
        assertThat(stats.created()).isEqualTo(1);
        assertThat(stats.reused()).isEqualTo(4);
        assertThat(greenMail.getReceivedMessages()).hasSize(5);
    }
}
