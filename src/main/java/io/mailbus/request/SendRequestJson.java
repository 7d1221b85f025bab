package io.mailbus.request;

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
}
