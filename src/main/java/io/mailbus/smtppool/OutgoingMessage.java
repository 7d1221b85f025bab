package io.mailbus.smtppool;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.apache.camel.Message;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.StreamCache;

/**
 * The envelope and the raw bytes of one exchange. The envelope comes only from the two envelope headers, never from
 * To/Cc/Bcc or any other header, so a crafted inbound header cannot add a recipient.
 */
final class OutgoingMessage implements AutoCloseable {

    private static final int HEADER_PEEK = 16 * 1024;

    private final String from;
    private final InternetAddress[] recipients;
    private final byte[] bytes;
    private final StreamCache cache;
    private final InputStream stream;
    private final String messageId;

    private OutgoingMessage(String from, InternetAddress[] recipients, byte[] bytes, InputStream stream,
                            String messageId) {
        this.from = from;
        this.recipients = recipients;
        this.bytes = bytes;
        this.stream = stream;
        this.cache = stream instanceof StreamCache sc ? sc : null;
        this.messageId = messageId;
    }

    static OutgoingMessage of(Message in) throws SmtpInvalidMessageException {
        String from = envelopeFrom(in.getHeader(SmtpPoolConstants.ENVELOPE_FROM));
        InternetAddress[] recipients = envelopeTo(in.getHeader(SmtpPoolConstants.ENVELOPE_TO));
        Object body = in.getBody();
        if (body == null) {
            throw new SmtpInvalidMessageException("The message body is empty", null);
        }
        if (body instanceof byte[] b) {
            return new OutgoingMessage(from, recipients, b, null, MessageIdScanner.find(b, b.length));
        }
        try {
            InputStream raw = in.getMandatoryBody(InputStream.class);
            if (raw instanceof StreamCache cached && cached.inMemory()
                && cached.length() <= TrackingSmtpTransport.INLINE_BODY_MAX) {
                // what a marshal step leaves (Camel caches its output): as bytes it can go with BDAT in the flight
                byte[] b = raw.readAllBytes();
                cached.reset();
                return new OutgoingMessage(from, recipients, b, null, MessageIdScanner.find(b, b.length));
            }
            if (raw instanceof StreamCache cached) {
                return new OutgoingMessage(from, recipients, null, raw, peekMessageId(cached, raw));
            }
            BufferedInputStream buffered = raw instanceof BufferedInputStream bis ? bis : new BufferedInputStream(raw);
            return new OutgoingMessage(from, recipients, null, buffered, peekMessageId(buffered));
        } catch (InvalidPayloadException e) {
            throw new SmtpInvalidMessageException("The message body is not bytes or a stream: "
                                                  + body.getClass().getName(), e);
        } catch (IOException e) {
            throw new SmtpInvalidMessageException("The message body could not be read", e);
        }
    }

    private static String peekMessageId(BufferedInputStream in) throws IOException {
        in.mark(HEADER_PEEK);
        byte[] head = in.readNBytes(HEADER_PEEK);
        in.reset();
        return MessageIdScanner.find(head, head.length);
    }

    /** A stream cache is peeked at and reset, so it stays a stream cache that can be sent again. */
    private static String peekMessageId(StreamCache cache, InputStream in) throws IOException {
        byte[] head = in.readNBytes(HEADER_PEEK);
        cache.reset();
        return MessageIdScanner.find(head, head.length);
    }

    private static String envelopeFrom(Object header) throws SmtpInvalidMessageException {
        if (!(header instanceof String s) || s.isBlank()) {
            throw new SmtpInvalidMessageException("Header " + SmtpPoolConstants.ENVELOPE_FROM
                                                  + " (the envelope sender) is missing or empty", null);
        }
        return parse(s).getAddress();
    }

    private static InternetAddress[] envelopeTo(Object header) throws SmtpInvalidMessageException {
        List<InternetAddress> out = new ArrayList<>();
        if (header instanceof Collection<?> c) {
            for (Object o : c) {
                if (o != null && !o.toString().isBlank()) {
                    out.add(parse(o.toString()));
                }
            }
        } else if (header instanceof String s && !s.isBlank()) {
            out.add(parse(s));
        }
        if (out.isEmpty()) {
            throw new SmtpInvalidMessageException("Header " + SmtpPoolConstants.ENVELOPE_TO
                                                  + " (the envelope recipients) is missing or empty", null);
        }
        return out.toArray(InternetAddress[]::new);
    }

    private static InternetAddress parse(String addrSpec) throws SmtpInvalidMessageException {
        try {
            InternetAddress a = new InternetAddress(addrSpec.trim(), true);
            if (a.isGroup() || !addrSpec.trim().equals(a.getAddress())) {
                throw new AddressException("not a bare addr-spec", addrSpec);
            }
            return a;
        } catch (AddressException e) {
            throw new SmtpInvalidMessageException("Not a valid envelope address: " + addrSpec, e);
        }
    }

    InternetAddress[] recipients() {
        return recipients;
    }

    String messageId() {
        return messageId;
    }

    /** The size in bytes when known (a byte array or a stream cache), else -1. */
    long size() {
        if (bytes != null) {
            return bytes.length;
        }
        return cache != null && cache.length() > 0 ? cache.length() : -1;
    }

    /**
     * Makes the message ready to be sent once more, in a further transaction; false when the body was a one-off
     * stream that has been read.
     */
    boolean rewind() {
        if (bytes != null) {
            return true;
        }
        if (cache != null) {
            cache.reset();
            return true;
        }
        return false;
    }

    RawMessage toMimeMessage(jakarta.mail.Session session) {
        return new RawMessage(session, from, bytes, stream);
    }

    @Override
    public void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // nothing left to do with a body that was already sent or abandoned
            }
        }
    }
}
