package io.mailbus.request;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.mailbus.request.Requests.bad;
import static io.mailbus.request.Requests.headers;
import static io.mailbus.request.Requests.ok;

/** Pins the custom header rules: names, the headers Mailbus owns, values and the 998/999-character line. */
class HeaderRulesTest {

    static Stream<Arguments> rules() {
        return Stream.of(
                ok("custom and threading headers", r -> r.setHeaders(headers("X-Campaign", "spring",
                        "In-Reply-To", "<a@example.com>", "List-Unsubscribe", "<mailto:u@example.com>"))),
                bad("header name with a space", r -> r.setHeaders(headers("X Bad", "v")),
                        "headers.X Bad", "invalid_header_name"),
                bad("header name with a colon", r -> r.setHeaders(headers("X:Bad", "v")),
                        "headers.X:Bad", "invalid_header_name"),
                bad("non-ASCII header name", r -> r.setHeaders(headers("X-Ünï", "v")),
                        "headers.X-Ünï", "invalid_header_name"),
                bad("From header", r -> r.setHeaders(headers("from", "a@example.com")),
                        "headers.from", "header_not_allowed"),
                bad("Bcc header", r -> r.setHeaders(headers("BCC", "a@example.com")),
                        "headers.BCC", "header_not_allowed"),
                bad("Content-Type header", r -> r.setHeaders(headers("Content-Type", "text/html")),
                        "headers.Content-Type", "header_not_allowed"),
                bad("DKIM-Signature header", r -> r.setHeaders(headers("DKIM-Signature", "v=1")),
                        "headers.DKIM-Signature", "header_not_allowed"),
                bad("Message-ID header", r -> r.setHeaders(headers("Message-ID", "<x@y>")),
                        "headers.Message-ID", "header_not_allowed"),
                bad("header without a value", r -> r.setHeaders(headers("X-A", null)), "headers.X-A", "required"),
                bad("header value with a line break", r -> r.setHeaders(headers("X-A", "v\nBcc: b@example.com")),
                        "headers.X-A", "header_injection"),
                ok("header line of 998 characters", r -> r.setHeaders(headers("X-A", "v".repeat(993)))),
                bad("header line of 999 characters", r -> r.setHeaders(headers("X-A", "v".repeat(994))),
                        "headers.X-A", "header_too_long"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleAnswersWithItsOwnCode(String rule, Consumer<SendRequest> change, String field, String code) {
        Requests.assertOnly(Requests.errors(new HeaderRules(100), change), field, code);
    }
}
