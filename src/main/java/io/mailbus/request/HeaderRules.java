package io.mailbus.request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The custom headers of a request: at most {@code maxHeaders} of them, each a safe name (see
 * {@link HeaderSafety#headerName}), a value without line breaks, and {@code name: value} within RFC 5322's
 * 998-character line. Name and value are kept stripped.
 *
 * <p>Linear in the request: the count is read from the map ({@code size()}, constant time) before any header is
 * looked at, so a request of a million keys costs one error, not a million checks, and no later step (Angus Mail's
 * {@code addHeader} scans the header list once per header it adds) sees more than {@code maxHeaders}.
 */
final class HeaderRules implements Rule {

    private static final int MAX_HEADER_LINE = 998;

    private final int maxHeaders;

    HeaderRules(int maxHeaders) {
        this.maxHeaders = maxHeaders;
    }

    @Override
    public void check(SendRequest in, SendRequest out, List<ValidationError> errors) {
        Map<String, String> kept = new LinkedHashMap<>();
        if (in.getHeaders().size() > maxHeaders) {
            errors.add(new ValidationError("headers", ErrorCode.TOO_MANY_HEADERS,
                    "at most " + maxHeaders + " custom headers; got " + in.getHeaders().size()));
            out.setHeaders(kept);
            return;
        }
        for (Map.Entry<String, String> h : in.getHeaders().entrySet()) {
            String name = h.getKey() == null ? "" : h.getKey().strip();
            String field = "headers." + name;
            if (!HeaderSafety.headerName(field, name, errors)) {
                continue;
            }
            if (h.getValue() == null) {
                errors.add(new ValidationError(field, ErrorCode.REQUIRED, "a header needs a value"));
                continue;
            }
            String value = h.getValue().strip();
            if (HeaderSafety.clean(field, value, errors)) {
                if (name.length() + 2 + value.length() > MAX_HEADER_LINE) {
                    errors.add(new ValidationError(field, ErrorCode.HEADER_TOO_LONG,
                            "name: value is longer than " + MAX_HEADER_LINE + " characters"));
                }
                kept.put(name, value);
            }
        }
        out.setHeaders(kept);
    }
}
