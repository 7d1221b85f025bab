package io.mailbus.request;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * An attachment's bytes, decoded, in a file of the request's {@link Spool}: what a large request carries instead of
 * its base64 string. The MIME step reads it as a stream; written as JSON it is base64 again, encoded as it is read.
 */
@JsonSerialize(using = SpooledData.Json.class)
public record SpooledData(Path file, long size) {

    public InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    /** The bytes as base64 text, streamed from the file. */
    static final class Json extends StdSerializer<SpooledData> {
        private static final long serialVersionUID = 1L;

        Json() {
            super(SpooledData.class);
        }

        @Override
        public void serialize(SpooledData value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            try (InputStream in = value.open()) {
                gen.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, in, Math.toIntExact(value.size()));
            }
        }
    }
}
