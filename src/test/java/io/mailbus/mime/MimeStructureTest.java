package io.mailbus.mime;

import io.mailbus.request.Attachment;
import io.mailbus.request.SendRequest;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Pins the MIME structure for each combination of bodies and attachments, and that a message survives a
 * round trip through an independent parse with the same parts and the same decoded content (non-ASCII
 * subject, names and filenames included).
 */
class MimeStructureTest {

    private final MimeDataFormat format = new MimeDataFormat();

    static SendRequest base() {
        SendRequest r = new SendRequest();
        r.setId("s-1");
        r.setFrom("from@example.com");
        r.setTo(List.of("to@example.com"));
        r.setSubject("Structure");
        return r;
    }

    static Attachment attachment(String name, String type, byte[] data, String contentId) {
        Attachment a = new Attachment();
        a.setFilename(name);
        a.setContentType(type);
        a.setData(Base64.getEncoder().encodeToString(data));
        a.setContentId(contentId);
        return a;
    }

    byte[] marshal(SendRequest r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.marshal(new DefaultExchange(new DefaultCamelContext()), Validated.request(r), out);
        return out.toByteArray();
    }

    static Stream<Arguments> structures() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        return Stream.of(
                arguments("text only", "t", null, List.of(), "text/plain"),
                arguments("html only", null, "<p>h</p>", List.of(), "text/html"),
                arguments("text and html", "t", "<p>h</p>", List.of(), "multipart/alternative[text/plain,text/html]"),
                arguments("text and attachment", "t", null,
                        List.of(attachment("a.pdf", "application/pdf", new byte[] {1}, null)),
                        "multipart/mixed[text/plain,application/pdf]"),
                arguments("html with inline image", null, "<img src=\"cid:logo@x\">",
                        List.of(attachment("logo.png", "image/png", png, "logo@x")),
                        "multipart/related[text/html,image/png]"),
                arguments("text, html, inline image and attachment", "t", "<img src=\"cid:logo@x\">",
                        List.of(attachment("logo.png", "image/png", png, "logo@x"),
                                attachment("a.pdf", "application/pdf", new byte[] {1}, null)),
                        "multipart/mixed[multipart/related[multipart/alternative[text/plain,text/html],image/png],"
                                + "application/pdf]"),
                arguments("content id without html is a plain attachment", "t", null,
                        List.of(attachment("logo.png", "image/png", png, "logo@x")),
                        "multipart/mixed[text/plain,image/png]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void buildsTheStructureTheBodiesAndAttachmentsCallFor(String name, String text, String html,
                                                         List<Attachment> attachments, String expected)
            throws Exception {
        SendRequest r = base();
        r.setText(text);
        r.setHtml(html);
        r.setAttachments(attachments);

        byte[] bytes = marshal(r);

        Wire.assertSafeLines(bytes);
        assertThat(Wire.tree(Wire.parse(bytes))).isEqualTo(expected);
    }

    @Test
    void relatedNamesItsRootTypeAndInlinePartsCarryTheirContentId() throws Exception {
        SendRequest r = base();
        r.setHtml("<img src=\"cid:logo@x\">");
        r.setAttachments(List.of(attachment("logo.png", "image/png", new byte[] {1, 2}, "logo@x")));

        MimeMessage m = Wire.parse(marshal(r));

        assertThat(m.getContentType()).contains("type=\"text/html\"");
        BodyPart image = ((Multipart) m.getContent()).getBodyPart(1);
        assertThat(image.getHeader("Content-ID")).containsExactly("<logo@x>");
        assertThat(image.getDisposition()).isEqualTo(Part.INLINE);
    }

    @Test
    void roundTripKeepsHeadersPartsAndDecodedContent() throws Exception {
        byte[] binary = new byte[300_000];
        new Random(7).nextBytes(binary);
        SendRequest r = base();
        r.setFrom("Jörg Müller <joerg@example.com>");
        r.setTo(List.of("\"Doe, John\" <john@example.com>", "ann@example.org"));
        r.setCc(List.of("Ça Va 😀 <cc@example.com>"));
        r.setReplyTo(List.of("reply@example.com"));
        r.setSubject("Grüße — 日本語のテスト " + "long words ".repeat(20));
        r.setText("Hällo\r\nzweite Zeile 😀\r\n");
        r.setHtml("<p>Hällo</p>\r\n");
        r.setHeaders(Map.of("X-Campaign", "Früh " + "lang ".repeat(150)));
        r.setAttachments(List.of(attachment("Bericht über 2025 — final version with a long name.pdf",
                "application/pdf", binary, null)));
        format.setClock(Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC));

        byte[] bytes = marshal(r);

        Wire.assertSafeLines(bytes);
        assertThat(Wire.headerNames(bytes)).containsExactlyInAnyOrder("Date", "From", "Reply-To", "To", "Cc",
                "Message-ID", "Subject", "X-Campaign", "MIME-Version", "Content-Type");
        MimeMessage m = Wire.parse(bytes);
        assertThat(m.getSubject()).isEqualTo(r.getSubject().strip());
        assertThat(m.getSentDate()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
        assertThat(m.getFrom()).extracting(Object::toString).containsExactly(
                "=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.com>");
        assertThat(personals(m.getRecipients(Message.RecipientType.TO))).containsExactly("Doe, John", null);
        assertThat(personals(m.getRecipients(Message.RecipientType.CC))).containsExactly("Ça Va 😀");
        assertThat(MimeUtility.decodeText(MimeUtility.unfold(m.getHeader("X-Campaign", null))))
                .isEqualTo(r.getHeaders().get("X-Campaign").strip());
        Multipart mixed = (Multipart) m.getContent();
        Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo(r.getText());
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo(r.getHtml());
        BodyPart pdf = mixed.getBodyPart(1);
        assertThat(pdf.getFileName()).isEqualTo("Bericht über 2025 — final version with a long name.pdf");
        assertThat(pdf.getInputStream().readAllBytes()).isEqualTo(binary);
    }

    @Test
    void subjectOf998CharactersWithoutSpacesIsSplitIntoEncodedWords() throws Exception {
        SendRequest r = base();
        r.setText("t");
        r.setSubject("x".repeat(998));

        byte[] bytes = marshal(r);

        Wire.assertSafeLines(bytes);
        assertThat(Wire.parse(bytes).getSubject()).isEqualTo("x".repeat(998));
    }

    private static List<String> personals(jakarta.mail.Address[] addresses) {
        List<String> out = new ArrayList<>();
        for (jakarta.mail.Address a : addresses) {
            out.add(((jakarta.mail.internet.InternetAddress) a).getPersonal());
        }
        return out;
    }
}
