package io.mailbus.request;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one strict JSON mapping of {@link SendRequest}: unknown fields, duplicate keys and trailing garbage are
 * errors. Duplicate keys are refused because two parsers that disagree on which {@code "to"} wins would let a
 * request name one recipient to a gateway and another to us. Jackson's default 20 M-character cap on a string
 * would refuse a legitimate 25 MB attachment (about 34 M base64 characters), so it is lifted here: size limits
 * belong to {@link SendRequestValidator}, where they are configurable and reported as codes.
 */
public final class SendRequestJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private SendRequestJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The request as a queue carries it: its JSON text, or for a large request (an attachment in its spool) a
     * {@link File} of the spool holding its JSON, which camel-jms streams to Artemis as a large message. The file is
     * deleted with the spool when the exchange completes.
     */
    public static Object body(SendRequest request) {
        try {
            SpooledData spooled = request.getAttachments().stream().map(Attachment::getSpooled)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (spooled == null) {
                return MAPPER.writeValueAsString(request);
            }
            Path file;
            try {
                file = Files.createTempFile(spooled.file().getParent(), "request-", ".json");
            } catch (IOException e) {
                throw new Spool.SpoolFailedException(spooled.file().getParent(), e);
            }
            try (OutputStream out = Spool.output(file)) {
                MAPPER.writeValue(out, request);
            }
            return file.toFile();
        } catch (IOException e) {
            throw new UncheckedIOException("the request could not be written as JSON", e);
        }
    }
}
