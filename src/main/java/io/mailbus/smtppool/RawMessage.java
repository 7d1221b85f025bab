package io.mailbus.smtppool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.util.CRLFOutputStream;

/**
 * A message that is already its RFC 5322 bytes. Angus Mail only sends {@code MimeMessage}s, and parsing the bytes
 * back into one would copy and possibly re-encode them, so this one streams them to DATA as they are.
 */
final class RawMessage extends SMTPMessage {

    private final byte[] bytes;
    private final InputStream stream;

    RawMessage(Session session, String envelopeFrom, byte[] bytes, InputStream stream) {
        super(session);
        this.bytes = bytes;
        this.stream = stream;
        setEnvelopeFrom(envelopeFrom);
        setSendPartial(true);
    }

    @Override
    public void writeTo(OutputStream os) throws IOException {
        if (bytes != null) {
            if (os instanceof TrackingSmtpTransport.DataStream data && data.writeCanonical(bytes)) {
                return;
            }
            os.write(bytes);
        } else {
            stream.transferTo(os);
        }
    }

    /**
     * The body as BDAT (RFC 3030) must carry it: the bytes DATA would carry, before dot-stuffing (line ends made
     * CRLF, a CRLF added at the end when missing, as Angus's DATA stream does), so both deliver the same message;
     * null when the body is a stream or longer than {@code max} bytes.
     */
    byte[] bdatBody(int max) {
        if (bytes == null || bytes.length > max) {
            return null;
        }
        if (isCanonical(bytes)) {
            return bytes;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 64);
        try (CRLFOutputStream crlf = new CRLFOutputStream(out) {
            @Override
            public void close() throws IOException {
                if (!atBOL) {
                    writeln();
                }
            }
        }) {
            crlf.write(bytes);
        } catch (IOException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
        return out.size() > max ? null : out.toByteArray();
    }

    /**
     * How many lines of {@code b} start with a dot, when its line ends are canonical already (every CR followed by LF,
     * every LF preceded by CR, CRLF at the end); -1 when they are not, for Angus's DATA stream to mend. One pass, for
     * the message Angus's stream would scan twice, a byte per step.
     */
    static int dotLines(byte[] b) {
        int dots = 0;
        for (int i = 0; i < b.length; i++) {
            byte x = b[i];
            if (x == '\r') {
                if (i + 1 >= b.length || b[i + 1] != '\n') {
                    return -1;
                }
            } else if (x == '\n') {
                if (i == 0 || b[i - 1] != '\r') {
                    return -1;
                }
            } else if (x == '.' && (i == 0 || b[i - 1] == '\n')) {
                dots++;
            }
        }
        return b.length > 0 && b[b.length - 1] != '\n' ? -1 : dots;
    }

    /**
     * Writes {@code b}, whose line ends are canonical and of which {@code dots} lines start with a dot, as DATA
     * carries it: each such line given one more dot (RFC 5321 4.5.2), all Angus's DATA stream would change. The runs
     * between those dots are written as they are, never copied: a 100 MB body stays one array.
     */
    static void writeDotStuffed(byte[] b, int dots, OutputStream out) throws IOException {
        if (dots == 0) {
            out.write(b);
            return;
        }
        OutputStream buffered = new java.io.BufferedOutputStream(out, Math.min(64 * 1024, b.length + dots));
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '.' && (i == 0 || b[i - 1] == '\n')) {
                buffered.write(b, start, i - start);
                buffered.write('.');
                start = i;
            }
        }
        buffered.write(b, start, b.length - start);
        buffered.flush();
    }

    /** Every CR followed by LF, every LF preceded by CR, and CRLF at the end (or empty). */
    private static boolean isCanonical(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\r' && (i + 1 >= b.length || b[i + 1] != '\n')) {
                return false;
            }
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                return false;
            }
        }
        return b.length == 0 || (b.length >= 2 && b[b.length - 1] == '\n');
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException, MessagingException {
        writeTo(os);
    }
}
