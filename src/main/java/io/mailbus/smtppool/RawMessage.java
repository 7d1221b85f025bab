package io.mailbus.smtppool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import org.eclipse.angus.mail.smtp.SMTPMessage;

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
            os.write(bytes);
        } else {
            stream.transferTo(os);
        }
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException, MessagingException {
        writeTo(os);
    }
}
