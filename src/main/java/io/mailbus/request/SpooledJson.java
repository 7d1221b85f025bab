package io.mailbus.request;

import java.nio.file.Path;

/**
 * A request's JSON too large to hold as a string, as it arrived, in a file of its exchange's {@link Spool}: the body
 * the ingress hands on instead of the text. {@link SendRequestValidator} reads it as a stream and spools each
 * attachment's data decoded ({@link SpooledData}), so no step holds the request whole.
 */
public record SpooledJson(Path file, Spool spool) {
}
