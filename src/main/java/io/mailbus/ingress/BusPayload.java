package io.mailbus.ingress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import io.mailbus.request.ErrorCode;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.Spool;
import io.mailbus.request.SpooledJson;
import io.mailbus.request.ValidationError;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;

/**
 * Reads a send request off the bus without trusting its producer: a JMS text message, or UTF-8 bytes (a JMS bytes
 * message, a Kafka record value), and nothing else. An object message is never deserialised (a producer could otherwise run code in the JVM that
 * holds the SMTP credentials and DKIM keys); a message larger than the limit is refused from its size as the broker
 * reports it, before its body is read (Artemis streams a large message, so an unread body is never in the heap).
 * A refusal is an {@link InvalidSendRequestException} with a stable code, so the request goes to
 * {@code email.invalid} at once instead of being redelivered until the broker gives up on it.
 */
public final class BusPayload {

    /** How much of a refused message is kept for the operator to look at. */
    static final int KEPT_BYTES = 1024;

    private static final String LARGE_SIZE = "_AMQ_LARGE_SIZE";

    private BusPayload() {
    }

    /**
     * A bytes message larger than this is not read into the heap: its body is saved to a file of the exchange's
     * {@link Spool} as Artemis streams it ({@code JMS_AMQ_SaveStream}) and read from there. Below it (nearly every
     * request) the body is read as before, as text, so small messages pay nothing for the large ones.
     */
    public static final long IN_MEMORY_BYTES = 1024 * 1024;

    private static final String SAVE_STREAM = "JMS_AMQ_SaveStream";

    /**
     * The request off a JMS message: its JSON text, or for a bytes message over {@value #IN_MEMORY_BYTES} bytes a
     * {@link SpooledJson} (the body streamed to a file of {@code spool}).
     *
     * @param excerpt receives the first {@value #KEPT_BYTES} bytes of a message refused for its size or encoding
     */
    public static Object read(Message message, long maxBytes, StringBuilder excerpt, Supplier<Spool> spool)
            throws JMSException {
        if (message instanceof BytesMessage bytes && bytes.getBodyLength() > IN_MEMORY_BYTES
                && bytes.getBodyLength() <= maxBytes) {
            Spool s = spool.get();
            Path file = s.newFile(".json");
            try (OutputStream out = Spool.output(file)) {
                // blocks until the whole body is written; a large message arrives in chunks, never whole
                bytes.setObjectProperty(SAVE_STREAM, out);
            } catch (IOException e) {
                throw new Spool.SpoolFailedException(file, e);
            }
            return new SpooledJson(file, s);
        }
        return read(message, maxBytes, excerpt);
    }

    /**
     * The request's JSON text off a JMS message.
     *
     * @param excerpt receives the first {@value #KEPT_BYTES} bytes of a message refused for its size or encoding
     */
    public static String read(Message message, long maxBytes, StringBuilder excerpt) throws JMSException {
        if (message instanceof TextMessage text) {
            long size = size(message);
            if (size > maxBytes) {
                throw tooLarge(size, maxBytes);
            }
            String body = text.getText();
            if (body != null && (long) body.length() > maxBytes) {
                excerpt.append(body, 0, Math.min(body.length(), KEPT_BYTES));
                throw tooLarge(body.length(), maxBytes);
            }
            return body;
        }
        if (message instanceof BytesMessage bytes) {
            long size = bytes.getBodyLength();
            if (size > maxBytes) {
                byte[] head = new byte[(int) Math.min(size, KEPT_BYTES)];
                int n = bytes.readBytes(head);
                excerpt.append(new String(head, 0, Math.max(n, 0), StandardCharsets.UTF_8));
                throw tooLarge(size, maxBytes);
            }
            byte[] all = new byte[(int) size];
            bytes.readBytes(all);
            return utf8(all, maxBytes, excerpt);
        }
        throw refused(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "send requests are JSON in a text message or a UTF-8 bytes message; a "
                + typeOf(message) + " is not read");
    }

    /**
     * A payload that arrived as bytes (a JMS bytes message, a Kafka record value): the same limit, and strict UTF-8.
     *
     * @param excerpt receives the first {@value #KEPT_BYTES} bytes of a payload refused for its size or encoding
     */
    public static String utf8(byte[] bytes, long maxBytes, StringBuilder excerpt) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length > maxBytes) {
            excerpt.append(new String(bytes, 0, (int) Math.min(bytes.length, KEPT_BYTES), StandardCharsets.UTF_8));
            throw tooLarge(bytes.length, maxBytes);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            excerpt.append(new String(bytes, 0, Math.min(bytes.length, KEPT_BYTES), StandardCharsets.UTF_8));
            throw refused(ErrorCode.INVALID_ENCODING, "the payload must be the request as UTF-8 JSON");
        }
    }

    /** The body size the broker reports, without reading the body. */
    private static long size(Message message) throws JMSException {
        if (message.propertyExists(LARGE_SIZE)) {
            return message.getLongProperty(LARGE_SIZE);
        }
        if (message instanceof ActiveMQMessage artemis && artemis.getCoreMessage() != null) {
            // the encoded body: UTF-16-ish for text, so at least the character count
            return artemis.getCoreMessage().getBodySize() / 2;
        }
        return 0;
    }

    private static String typeOf(Message message) {
        if (message instanceof ObjectMessage) {
            return "ObjectMessage";
        }
        if (message instanceof MapMessage) {
            return "MapMessage";
        }
        if (message instanceof StreamMessage) {
            return "StreamMessage";
        }
        return "message without a body";
    }

    private static InvalidSendRequestException tooLarge(long size, long max) {
        return refused(ErrorCode.MESSAGE_TOO_LARGE, "the message is " + size + " bytes, over the limit of " + max);
    }

    private static InvalidSendRequestException refused(ErrorCode code, String message) {
        return new InvalidSendRequestException(List.of(new ValidationError("body", code, message)));
    }
}
