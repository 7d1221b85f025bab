package io.mailbus.request;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins that README's error-code table, what clients read, says what {@link ErrorCode} says: every code once, with
 * its HTTP status, and no code that Mailbus does not raise.
 */
class ErrorCodeTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\| (\\d{3}) \\|");

    @Test
    void readmeTableListsEveryCodeWithItsStatus() throws Exception {
        Map<String, Integer> readme = new LinkedHashMap<>();
        Matcher m = ROW.matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            assertThat(readme.put(m.group(1), Integer.parseInt(m.group(2)))).as("%s listed twice", m.group(1)).isNull();
        }
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (ErrorCode c : ErrorCode.values()) {
            codes.put(c.code(), c.httpStatus());
        }

        assertThat(readme).containsExactlyEntriesOf(codes);
    }

    @Test
    void onlyTenantRulesAre403AndTheRateLimit429() {
        for (ErrorCode c : ErrorCode.values()) {
            int expected = switch (c) {
                case SENDER_NOT_ALLOWED, SERVER_NOT_ALLOWED, TENANT_REQUIRED, UNKNOWN_TENANT -> 403;
                case RATE_LIMITED -> 429;
                case REQUEST_TOO_LARGE, MESSAGE_TOO_LARGE -> 413;
                default -> 400;
            };
            assertThat(c.httpStatus()).as(c.code()).isEqualTo(expected);
        }
    }

    @Test
    void onlyAWholeRequestTooLargeIs413() {
        assertThat(ErrorCode.REQUEST_TOO_LARGE.code()).isEqualTo(RequestTooLargeException.CODE)
                .isEqualTo("request_too_large");
        assertThat(ErrorCode.TEXT_TOO_LARGE.code()).isEqualTo("text_too_large");
    }
}
