package io.mailbus.mime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Chooses the transfer encoding of a text body. Quoted-printable keeps text readable and turns every bare CR
 * or LF into CRLF, which alone defeats {@code <LF>.<LF>} and {@code <CR>.<CR>} smuggling; base64 is taken
 * when the quoted-printable form would still have a line starting with a dot, so that the bytes are harmless
 * even to an SMTP client that forgot dot-stuffing. The choice costs one streaming pass, no copy.
 */
final class BodyEncoding {

    static final String QUOTED_PRINTABLE = "quoted-printable";
    static final String BASE64 = "base64";

    private BodyEncoding() {
    }

    static String choose(String text) {
        DotLineDetector detector = new DotLineDetector();
        try (Writer w = new OutputStreamWriter(MimeUtility.encode(detector, QUOTED_PRINTABLE), StandardCharsets.UTF_8)) {
            w.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
        return detector.found ? BASE64 : QUOTED_PRINTABLE;
    }

    /** Swallows bytes, remembering whether any line starts with a dot. */
    private static final class DotLineDetector extends OutputStream {
        private boolean atLineStart = true;
        private boolean found;

        @Override
        public void write(int b) {
            if (atLineStart && b == '.') {
                found = true;
            }
            atLineStart = b == '\n';
        }
    }
}
