package io.mailbus.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.mailbus.request.Requests.attachment;
import static io.mailbus.request.Requests.bad;
import static io.mailbus.request.Requests.headers;
import static io.mailbus.request.Requests.ok;
import static io.mailbus.request.Requests.recipients;
import static io.mailbus.request.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins {@link HeaderSafety#check}, what the MIME step asks of a request before writing a byte: every field that
 * becomes a header is free of CR, LF and other control characters, custom headers are well named and not Mailbus's
 * own, the id is a dot-atom; size limits are the validator's business, not this check's.
 */
class HeaderSafetyTest {

    static Stream<Arguments> rules() {
        return Stream.of(
                ok("minimal request", r -> { }),
                ok("limits are not judged here", r -> {
                    r.setSubject("s".repeat(5000));
                    r.setTo(recipients(500));
                    r.setHeaders(headers("X-A", "v".repeat(5000)));
                }),
                bad("id that is not a dot-atom", r -> r.setId("a>b"), "id", "invalid_id"),
                bad("CR in from", r -> r.setFrom("A\r <a@example.com>"), "from", "header_injection"),
                bad("LF in replyTo", r -> r.setReplyTo(List.of("x@example.com", "y@example.com\n")),
                        "replyTo[1]", "header_injection"),
                bad("NUL in cc", r -> r.setCc(List.of("a\u0000@example.com")), "cc[0]", "invalid_character"),
                bad("DEL in subject", r -> r.setSubject("a\u007fb"), "subject", "invalid_character"),
                bad("LF in disposition", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setDisposition("inline\nX: y")))), "attachments[0].disposition", "header_injection"),
                bad("owned header", r -> r.setHeaders(headers("Bcc", "evil@example.com")),
                        "headers.Bcc", "header_not_allowed"),
                bad("header name with a colon", r -> r.setHeaders(headers("X:A", "v")),
                        "headers.X:A", "invalid_header_name"),
                bad("CR in a header value", r -> r.setHeaders(headers("X-A", "v\r")), "headers.X-A", "header_injection"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleAnswersWithItsOwnCode(String rule, Consumer<SendRequest> change, String field, String code) {
        Requests.assertOnly(HeaderSafety.check(Requests.changed(change)), field, code);
    }

    @Test
    void reportsEveryUnsafeFieldAtOnce() {
        SendRequest r = Requests.changed(x -> {
            x.setSubject("a\nb");
            x.setTo(List.of("t@example.com\r\nBcc: e@example.com"));
        });

        assertThat(HeaderSafety.check(r)).extracting(ValidationError::field).containsExactly("to[0]", "subject");
    }
}
