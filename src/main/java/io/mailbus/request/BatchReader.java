package io.mailbus.request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Splits a batch into the JSON text of each of its requests: a JSON array of requests, or {@code {"messages": [...]}}.
 * Each element is cut out of the original text by its offsets, not re-serialised from a tree, so it is validated by
 * the same strict reader as a single request (a duplicate key in one element is that element's error, not lost) and
 * an invalid one reaches {@code email.invalid} exactly as it was sent.
 */
public final class BatchReader {

    private BatchReader() {
    }

    /**
     * @param max the most elements a batch may hold ({@code mailbus.batch.max-messages})
     * @throws InvalidSendRequestException when the batch as a whole is unusable: not JSON, not an array (or an object
     *     with {@code messages}), empty, or over {@code max}
     */
    public static List<String> elements(String text, int max) {
        List<String> elements = new ArrayList<>();
        try (JsonParser p = SendRequestJson.mapper().createParser(text == null ? "" : text)) {
            // duplicate keys inside an element are that element's error (its own strict read finds them), not the
            // batch's; the batch's own "messages" is checked below
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                boolean found = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    if ("messages".equals(name) && found) {
                        throw invalid("", ErrorCode.INVALID_JSON, "duplicate field 'messages'");
                    } else if ("messages".equals(name) && t == JsonToken.START_ARRAY) {
                        found = true;
                        array(text, p, elements, max);
                    } else if ("messages".equals(name)) {
                        throw invalid("messages", ErrorCode.INVALID_TYPE, "must be an array of send requests");
                    } else {
                        throw invalid(name, ErrorCode.UNKNOWN_FIELD, "unknown field '" + name + "'; a batch is "
                                + "{\"messages\": [...]}");
                    }
                }
                if (!found) {
                    throw invalid("messages", ErrorCode.REQUIRED, "a batch is {\"messages\": [...]} or a JSON array");
                }
            } else if (first == JsonToken.START_ARRAY) {
                array(text, p, elements, max);
            } else {
                throw invalid("", ErrorCode.INVALID_JSON, "a batch is a JSON array of send requests or "
                        + "{\"messages\": [...]}");
            }
            if (p.nextToken() != null) {
                throw invalid("", ErrorCode.INVALID_JSON, "trailing data after the batch");
            }
        } catch (JsonProcessingException e) {
            throw invalid("", ErrorCode.INVALID_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("", ErrorCode.INVALID_JSON, "unreadable batch: " + e.getMessage());
        }
        if (elements.isEmpty()) {
            throw invalid("messages", ErrorCode.NO_MESSAGES, "a batch holds at least one send request");
        }
        return elements;
    }

    private static void array(String text, JsonParser p, List<String> elements, int max) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw invalid("", ErrorCode.INVALID_JSON, "the batch ends inside its array");
            }
            if (elements.size() == max) {
                throw invalid("messages", ErrorCode.TOO_MANY_MESSAGES, "at most " + max
                        + " send requests in one batch (mailbus.batch.max-messages)");
            }
            int start = (int) p.currentTokenLocation().getCharOffset();
            p.skipChildren();
            int end = (int) p.currentLocation().getCharOffset();
            elements.add(text.substring(start, end));
        }
    }

    private static InvalidSendRequestException invalid(String field, ErrorCode code, String message) {
        return new InvalidSendRequestException(List.of(new ValidationError(field, code, message)));
    }
}
