package io.mailbus.mime;

import io.mailbus.request.SendRequest;
import io.mailbus.smtppool.SmtpPoolConstants;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins the data format contract: bytes, envelope headers and Message-ID header the route relies on, for the request
 * the validator produced; anything but a request object (the JSON text of one, say) is refused.
 */
class MimeDataFormatTest {

    private final MimeDataFormat format = new MimeDataFormat();

    static SendRequest request() {
        SendRequest r = new SendRequest();
        r.setId("req-1");
        r.setFrom("Sender <s@example.com>");
        r.setTo(List.of("Ann <a@example.com>"));
        r.setCc(List.of("c@example.com"));
        r.setBcc(List.of("hidden@example.com", "A@example.com"));
        r.setSubject("Hello");
        r.setText("plain body");
        return r;
    }

    static byte[] marshal(MimeDataFormat format, SendRequest r, Exchange e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.marshal(e, Validated.request(r), out);
        return out.toByteArray();
    }

    @Test
    void setsEnvelopeHeadersWithBccButNeverWritesBcc() throws Exception {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        byte[] bytes = marshal(format, request(), e);

        assertThat(e.getMessage().getHeader(SmtpPoolConstants.ENVELOPE_FROM)).isEqualTo("s@example.com");
        assertThat(e.getMessage().getHeader(SmtpPoolConstants.ENVELOPE_TO, List.class))
                .containsExactly("a@example.com", "c@example.com", "hidden@example.com");
        assertThat(e.getMessage().getHeader(MimeDataFormat.MESSAGE_ID_HEADER)).isEqualTo("<req-1@mailbus.local>");
        String wire = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(wire).doesNotContainIgnoringCase("hidden").doesNotContainIgnoringCase("bcc:");
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        assertThat(parsed.getMessageID()).isEqualTo("<req-1@mailbus.local>");
        assertThat(parsed.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly("Ann <a@example.com>");
        assertThat(parsed.getContent()).isEqualTo("plain body");
    }

    @Test
    void refusesABodyThatIsNotARequestObject() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> format.marshal(new DefaultExchange(new DefaultCamelContext()),
                "{\"to\": \"a@example.com\", \"subject\": \"s\", \"text\": \"t\"}", out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
        assertThat(out.size()).isZero();
    }

    @Test
    void textHtmlAndAttachmentNestAlternativeInsideMixed() throws Exception {
        SendRequest r = request();
        r.setHtml("<p>html</p>");
        io.mailbus.request.Attachment a = new io.mailbus.request.Attachment();
        a.setFilename("a.bin");
        a.setContentType("application/octet-stream");
        a.setData(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        r.setAttachments(List.of(a));

        byte[] bytes = marshal(format, r, new DefaultExchange(new DefaultCamelContext()));

        MimeMessage parsed = (MimeMessage) format.unmarshal(null, new ByteArrayInputStream(bytes));
        MimeMultipart mixed = (MimeMultipart) parsed.getContent();
        assertThat(parsed.getContentType()).startsWith("multipart/mixed");
        assertThat(mixed.getBodyPart(0).getContentType()).startsWith("multipart/alternative");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("a.bin");
        assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).containsExactly(1, 2, 3);
    }
}
