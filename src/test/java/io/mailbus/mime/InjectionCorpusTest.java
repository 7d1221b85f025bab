package io.mailbus.mime;

import io.mailbus.request.Attachment;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.SendRequest;
import io.mailbus.request.ValidationError;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Pins that no input injects a header, a recipient, a bare CR/LF or an SMTP end-of-data: header-bound
 * fields carrying line breaks are refused by the validator with {@code header_injection} and, with the same
 * field and code, by the data format even when the validator is skipped (no bytes written); look-alike text that
 * the validator allows comes out inert; bodies carrying smuggling sequences come out with CRLF lines only, none
 * starting with a dot, and decode to the same text.
 */
class InjectionCorpusTest {

    private static final List<String> BREAKS = List.of(
            "x\r\nBcc: evil@attacker.example", "x\nBcc: evil@attacker.example", "x\rBcc: evil@attacker.example",
            "x\r\n\r\nforged body", "x\r\n.\r\nMAIL FROM:<evil@attacker.example>", "x\n.\n", "x\r.\r");

    private static final Map<String, BiConsumer<SendRequest, String>> FIELDS = Map.ofEntries(
            Map.entry("subject", SendRequest::setSubject),
            Map.entry("from", (r, p) -> r.setFrom(p + " <from@example.com>")),
            Map.entry("to[0]", (r, p) -> r.setTo(List.of(p + " <to@example.com>"))),
            Map.entry("cc[0]", (r, p) -> r.setCc(List.of("cc@example.com" + p))),
            Map.entry("bcc[0]", (r, p) -> r.setBcc(List.of("Name <bcc@example.com>" + p))),
            Map.entry("replyTo[0]", (r, p) -> r.setReplyTo(List.of(p + "@example.com"))),
            Map.entry("attachments[0].filename", (r, p) -> r.setAttachments(List.of(attachment(p, "text/plain", null)))),
            Map.entry("attachments[0].contentType",
                    (r, p) -> r.setAttachments(List.of(attachment("a.txt", "text/plain" + p, null)))),
            Map.entry("attachments[0].contentId",
                    (r, p) -> r.setAttachments(List.of(attachment("a.txt", "text/plain", "id" + p)))),
            Map.entry("headers.X-A", (r, p) -> r.setHeaders(Map.of("X-A", p))),
            Map.entry("headers.name", (r, p) -> r.setHeaders(Map.of("X-A" + p, "v"))));

    static SendRequest base() {
        SendRequest r = new SendRequest();
        r.setId("inj-1");
        r.setFrom("from@example.com");
        r.setTo(List.of("to@example.com"));
        r.setSubject("s");
        r.setText("t");
        return r;
    }

    static Attachment attachment(String name, String type, String contentId) {
        Attachment a = new Attachment();
        a.setFilename(name);
        a.setContentType(type);
        a.setContentId(contentId);
        a.setData("AA==");
        return a;
    }

    static Stream<Arguments> headerInjections() {
        List<Arguments> out = new ArrayList<>();
        FIELDS.forEach((field, setter) -> BREAKS.forEach(p -> out.add(arguments(field, setter, p))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} <- {2}")
    @MethodSource("headerInjections")
    void lineBreaksInHeaderBoundFieldsAreRefusedAndNoBytesAreWritten(String field,
                                                                     BiConsumer<SendRequest, String> setter,
                                                                     String payload) {
        SendRequest r = base();
        setter.accept(r, payload);

        List<ValidationError> errors = Validated.errors(r);
        assertThat(errors).extracting(ValidationError::code).containsExactly("header_injection");
        if (!field.equals("headers.name")) {
            assertThat(errors).extracting(ValidationError::field).containsExactly(field);
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InvalidSendRequestException refused = catchThrowableOfType(InvalidSendRequestException.class,
                () -> new MimeDataFormat().marshal(new DefaultExchange(new DefaultCamelContext()), r, out));
        assertThat(refused).as("the data format refuses it without the validator").isNotNull();
        assertThat(refused.getErrors()).isEqualTo(errors);
        assertThat(out.size()).isZero();
    }

    static Stream<Arguments> lookAlikes() {
        return Stream.of(
                arguments("subject", (BiConsumer<SendRequest, String>) SendRequest::setSubject,
                        "Bcc: evil@attacker.example"),
                arguments("subject as encoded word", (BiConsumer<SendRequest, String>) SendRequest::setSubject,
                        "=?UTF-8?B?eA0KQmNjOiBldmlsQGF0dGFja2VyLmV4YW1wbGU=?="),
                arguments("display name with an address list",
                        (BiConsumer<SendRequest, String>) (r, p) -> r.setTo(List.of("\"" + p + "\" <to@example.com>")),
                        "evil@attacker.example, other@attacker.example"),
                arguments("display name with a Bcc look-alike",
                        (BiConsumer<SendRequest, String>) (r, p) -> r.setTo(List.of(p + " <to@example.com>")),
                        "Bcc: evil@attacker.example"),
                arguments("display name with quotes and backslashes",
                        (BiConsumer<SendRequest, String>) (r, p) -> r.setTo(List.of("\"" + p + "\" <to@example.com>")),
                        "a\\\" <evil@attacker.example>, \\\"b"),
                arguments("header value with a colon and brackets",
                        (BiConsumer<SendRequest, String>) (r, p) -> r.setHeaders(Map.of("X-A", p)),
                        "Bcc: <evil@attacker.example>"),
                arguments("filename with quotes and semicolons",
                        (BiConsumer<SendRequest, String>) (r, p) -> r.setAttachments(List.of(attachment(p, "text/plain", null))),
                        "a\"; filename=\"evil.exe"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookAlikes")
    void lookAlikeTextIsRenderedInertWithNoExtraHeaderOrRecipient(String name, BiConsumer<SendRequest, String> setter,
                                                                 String payload) throws Exception {
        SendRequest r = base();
        setter.accept(r, payload);
        assertThat(Validated.errors(r)).isEmpty();

        DefaultExchange e = new DefaultExchange(new DefaultCamelContext());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MimeDataFormat().marshal(e, Validated.request(r), out);
        byte[] bytes = out.toByteArray();

        Wire.assertSafeLines(bytes);
        List<String> expected = new ArrayList<>(List.of("Date", "From", "To", "Message-ID", "Subject",
                "MIME-Version", "Content-Type"));
        if (!r.getHeaders().isEmpty()) {
            expected.add("X-A");
        }
        if (r.getAttachments().isEmpty()) {
            expected.add("Content-Transfer-Encoding");
        }
        assertThat(Wire.headerNames(bytes)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(e.getMessage().getHeader(io.mailbus.smtppool.SmtpPoolConstants.ENVELOPE_TO, List.class))
                .containsExactly("to@example.com");
        MimeMessage m = Wire.parse(bytes);
        assertThat(m.getRecipients(Message.RecipientType.TO)).hasSize(1);
        assertThat(m.getRecipients(Message.RecipientType.BCC)).isNull();
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("\r\nBcc:");
        if (!r.getAttachments().isEmpty()) {
            assertThat(((Multipart) m.getContent()).getBodyPart(1).getFileName()).isEqualTo(payload);
        }
    }

    static Stream<String> smugglingBodies() {
        return Stream.of("a\n.\nb", "a\r.\rb", "a\r\n.\r\nMAIL FROM:<evil@attacker.example>\r\nRCPT TO:<x@y.example>\r\n",
                ".", ".\r\n", "\n.\n", "\r.\r", "a\n.\r\nb", "a\r\n.\nb", "a\n..\nb", ".leading dot",
                "end with dot\r\n.", "a".repeat(75) + ".b", "a".repeat(76) + "." + "b".repeat(100),
                "x".repeat(5000), "nul\u0000and\u0001ctl", "mixed \r\n and \n and \r endings",
                "Ünïcødé 😀\n.\n", "=?UTF-8?B?eA==?=\r\nBcc: evil@attacker.example", "From here\n");
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("smugglingBodies")
    void smugglingSequencesInBodiesComeOutHarmless(String body) throws Exception {
        for (String kind : List.of("text", "html", "both", "attachment")) {
            SendRequest r = base();
            switch (kind) {
                case "text" -> r.setText(body);
                case "html" -> {
                    r.setText(null);
                    r.setHtml(body);
                }
                case "both" -> r.setHtml(body);
                default -> {
                    Attachment a = attachment("a.txt", "text/plain", null);
                    a.setData(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
                    r.setAttachments(List.of(a));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new MimeDataFormat().marshal(new DefaultExchange(new DefaultCamelContext()), Validated.request(r), out);
            byte[] bytes = out.toByteArray();

            Wire.assertSafeLines(bytes);
            MimeMessage m = Wire.parse(bytes);
            Object content = m.getContent();
            Object decoded = switch (kind) {
                case "text", "html" -> content;
                case "both" -> ((Multipart) content).getBodyPart(1).getContent();
                default -> new String(((Multipart) content).getBodyPart(1).getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8);
            };
            if (kind.equals("attachment")) {
                assertThat(decoded).as(kind).isEqualTo(body);
            } else {
                assertThat(lines((String) decoded)).as(kind).isEqualTo(lines(body));
            }
        }
    }

    /** Line ends normalised: quoted-printable turns bare CR or LF into CRLF, as text/* on the wire must. */
    private static String lines(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }
}
