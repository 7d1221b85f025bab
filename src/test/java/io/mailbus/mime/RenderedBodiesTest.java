package io.mailbus.mime;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.PreencodedMimeBodyPart;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast ways the MIME step writes bodies produce exactly the bytes of Angus's own way: an attachment's base64
 * re-wrapped from the request's text is what decoding it and letting Angus encode it writes, and a text body read
 * from {@link Utf8TextSource} is what {@code setText(text, "UTF-8", subtype)} writes, under either transfer encoding,
 * and the Date header formatted once a second is what {@code setSentDate} writes.
 */
class RenderedBodiesTest {

    @Test
    void canonicalBase64IsWrittenAsAngusEncodesTheDecodedBytes() throws Exception {
        Random random = new Random(7);
        int[] sizes = {0, 1, 2, 3, 4, 56, 57, 58, 113, 114, 115, 171, 1000, 6143, 6144, 6145, 8191, 8192, 8193,
                       20_000, 57 * 300, 57 * 300 + 1, 100_003};
        for (int size : sizes) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            String plain = Base64.getEncoder().encodeToString(data);
            String mime = Base64.getMimeEncoder().encodeToString(data);               // CRLF every 76
            String lf60 = Base64.getMimeEncoder(60, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
            String blanks = plain.replaceAll("(.{10})", "$1 \t");
            for (String form : new String[] {plain, mime, lf60, blanks}) {
                byte[] expected = write(angusPart(form));
                WrappedBase64Source wrapped = WrappedBase64Source.of(form, "application/octet-stream", "a.bin");
                assertThat(wrapped).as("size %d", size).isNotNull();
                assertThat(write(preencodedPart(wrapped))).as("size %d", size).isEqualTo(expected);
                assertThat(new String(wrapped.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                                   .replace("\r\n", "")).isEqualTo(plain);
            }
        }
    }

    @Test
    void onlyCanonicalBase64IsTakenAsItIs() {
        assertThat(WrappedBase64Source.isCanonical("")).isTrue();
        assertThat(WrappedBase64Source.isCanonical("QUJD")).isTrue();
        assertThat(WrappedBase64Source.isCanonical("QUI=")).isTrue();
        assertThat(WrappedBase64Source.isCanonical("QQ==")).isTrue();
        assertThat(WrappedBase64Source.isCanonical("QQ==\r\n")).isTrue();
        assertThat(WrappedBase64Source.isCanonical("QUJD\r\nQQ==")).isTrue();
        assertThat(WrappedBase64Source.isCanonical("QUJD \tQQ==\r\n\r\n")).isTrue();
        assertThat(WrappedBase64Source.isCanonical("QQ= =")).as("blank inside the padding").isFalse();
        assertThat(WrappedBase64Source.isCanonical("QUI")).as("padding missing").isFalse();
        assertThat(WrappedBase64Source.isCanonical("QR==")).as("bits after the last byte").isFalse();
        assertThat(WrappedBase64Source.isCanonical("QUJ=")).as("bits after the last byte").isFalse();
        assertThat(WrappedBase64Source.isCanonical("QQ==QUJD")).as("padding inside").isFalse();
        assertThat(WrappedBase64Source.isCanonical("Q===")).as("three pads").isFalse();
        assertThat(WrappedBase64Source.isCanonical("QU-D")).as("url alphabet").isFalse();
        assertThat(WrappedBase64Source.isCanonical("QUJDé")).as("not ASCII").isFalse();
        assertThat(WrappedBase64Source.of("QR==", "application/octet-stream", "a")).isNull();
    }

    @Test
    void textIsWrittenAsSetTextWritesIt() throws Exception {
        String block = "x".repeat(8191);
        String[] texts = {"", "plain ascii\r\n", "é€ and an emoji \uD83D\uDE00 and a lone \uD83D surrogate\n",
                          block + "\uD83D\uDE00 a pair across the block boundary", block + "\uD83D",
                          "line\r\n.\r\ndot line\r\n", "é".repeat(20_000), "trailing space \r\n"};
        for (String text : texts) {
            for (String subtype : new String[] {"plain", "html"}) {
                for (String cte : new String[] {BodyEncoding.QUOTED_PRINTABLE, BodyEncoding.BASE64}) {
                    MimeBodyPart angus = new MimeBodyPart();
                    angus.setText(text, "UTF-8", subtype);
                    angus.setHeader("Content-Transfer-Encoding", cte);
                    MimeBodyPart ours = new MimeBodyPart();
                    ours.setDataHandler(new DataHandler(new Utf8TextSource(text, subtype)));
                    ours.setHeader("Content-Transfer-Encoding", cte);
                    assertThat(write(ours)).as("%s %s, %d chars", subtype, cte, text.length())
                            .isEqualTo(write(angus));
                }
            }
        }
    }

    @Test
    void dateIsWrittenAsSetSentDateWritesIt() throws Exception {
        String[] instants = {"2025-03-01T10:00:00Z", "2025-03-01T10:00:00.999Z", "2025-03-01T10:00:01.001Z",
                             "2024-02-29T23:59:59.500Z", "2026-10-25T01:30:00Z", "1999-12-31T23:59:59Z"};
        for (String text : instants) {
            java.time.Instant instant = java.time.Instant.parse(text);
            MimeMessage m = new MimeMessage((Session) null);
            m.setSentDate(java.util.Date.from(instant));
            assertThat(DateHeader.of(instant)).as(text).isEqualTo(m.getHeader("Date", null));
        }
    }

    private static MimeBodyPart angusPart(String base64) throws MessagingException {
        MimeBodyPart p = new MimeBodyPart();
        p.setDataHandler(new DataHandler(new Base64DataSource(base64, "application/octet-stream", "a.bin")));
        headers(p);
        return p;
    }

    private static MimeBodyPart preencodedPart(WrappedBase64Source source) throws MessagingException {
        MimeBodyPart p = new PreencodedMimeBodyPart("base64");
        p.setDataHandler(new DataHandler(source));
        headers(p);
        return p;
    }

    private static void headers(MimeBodyPart p) throws MessagingException {
        p.setHeader("Content-Type", "application/octet-stream");
        p.setDisposition("attachment");
        p.setFileName("a.bin");
        p.setHeader("Content-Transfer-Encoding", "base64");
    }

    /** The part as a message writes it: its headers updated by the message's saveChanges, then written. */
    private static byte[] write(MimeBodyPart p) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage((Session) null);
        m.setContent(new MimeMultipart(p));
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.writeTo(out);
        return out.toByteArray();
    }
}
