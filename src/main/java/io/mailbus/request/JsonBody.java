package io.mailbus.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/**
 * Reads a message body (bytes, a stream, or anything Camel converts to text) straight into a {@link SendRequest}
 * through {@link SendRequestReader}: no JSON tree and no String copy of a byte or stream body, so a large request is
 * held once, as the request's own strings. What cannot be read becomes {@code invalid_json} with the JSON path
 * Jackson knows; a body too large for the heap becomes a {@link RequestTooLargeException}. A {@link SpooledJson} body
 * is read from its file, its attachments' data decoded into the spool as it is read.
 */
final class JsonBody {

    private JsonBody() {
    }

    /** The request read, or null when the body is not one JSON object; every problem is added to {@code errors}. */
    static SendRequest read(Message in, List<ValidationError> errors) {
        Object body = in.getBody();
        if (body instanceof SpooledJson spooled) {
            return read(body, mapper -> mapper.createParser(Files.newInputStream(spooled.file())), errors,
                    spooled.spool());
        }
        return read(body, mapper -> body instanceof byte[] bytes ? mapper.createParser(bytes)
                : body instanceof InputStream stream ? mapper.createParser(stream)
                : body == null ? null : parserOf(mapper, in.getBody(String.class)), errors, null);
    }

    /** One JSON text, e.g. an element of a batch. */
    static SendRequest read(String text, List<ValidationError> errors) {
        return read(text, mapper -> parserOf(mapper, text), errors, null);
    }

    private interface Parsers {
        JsonParser open(ObjectMapper mapper) throws IOException;
    }

    /** @param spool where attachments' data is decoded to as it is read (a large request), or null */
    private static SendRequest read(Object body, Parsers parsers, List<ValidationError> errors, Spool spool) {
        ObjectMapper mapper = SendRequestJson.mapper();
        try (JsonParser p = parsers.open(mapper)) {
            JsonToken first = p == null ? null : p.nextToken();
            if (first == null) {
                errors.add(new ValidationError("", ErrorCode.INVALID_JSON, "the body is empty"));
                return null;
            }
            if (first != JsonToken.START_OBJECT) {
                // read the rest as the tree reader would, so a syntax error is still reported as such (a spooled
                // body is not built into a tree: it is only skipped)
                if (spool == null) {
                    mapper.readTree(p);
                } else {
                    p.skipChildren();
                }
                errors.add(new ValidationError("", ErrorCode.INVALID_JSON, "the body must be a JSON object"));
                return null;
            }
            return SendRequestReader.read(p, errors, spool);
        } catch (SendRequestReader.UnreadableBase64 e) {
            return null;
        } catch (JsonProcessingException e) {
            errors.add(new ValidationError(path(e), ErrorCode.INVALID_JSON, e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            errors.add(new ValidationError("", ErrorCode.INVALID_JSON, "unreadable body: " + e.getMessage()));
            return null;
        } catch (OutOfMemoryError e) {
            // the failed allocation is this request's (a string of many MB); what it had read is garbage now
            throw new RequestTooLargeException(body instanceof byte[] bytes ? bytes.length : -1, e);
        }
    }

    private static JsonParser parserOf(ObjectMapper mapper, String text) throws IOException {
        return text == null ? null : mapper.createParser(text);
    }

    /** The JSON path of a mapping error, {@code attachments[0].data}; empty for the whole document. */
    private static String path(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
        }
        return sb.toString();
    }
}
