package io.mailbus.request;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Pins what a hostile or careless producer cannot make the validator do: hold or scan an unbounded list (each count
 * is refused with one error, not one per element), pass a trust header a receiving system believes, use an address
 * whose quoted local part needs its quotes, or put its raw CR/LF into an error message that gets logged.
 */
class HostileShapesTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final SendRequestValidator validator = new SendRequestValidator(100);

    private InvalidSendRequestException refusal(Object body) {
        DefaultExchange e = new DefaultExchange(camel);
        e.getMessage().setBody(body);
        return catchThrowableOfType(InvalidSendRequestException.class, () -> validator.process(e));
    }

    private List<ValidationError> errors(Object body) {
        InvalidSendRequestException ex = refusal(body);
        return ex == null ? List.of() : ex.getErrors();
    }

    @Test
    void twoHundredThousandHeadersAreOneTooManyHeadersError() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < 200_000; i++) {
            headers.put("X-H" + i, "v");
        }
        SendRequest r = Requests.changed(x -> x.setHeaders(headers));

        assertThat(errors(r)).extracting(ValidationError::field, ValidationError::code)
                .containsExactly(tuple("headers", "too_many_headers"));
    }

    @Test
    void twoHundredThousandHeadersInJsonAreRefused() {
        StringBuilder json = new StringBuilder("{\"to\":\"a@example.com\",\"from\":\"b@example.com\",\"subject\":\"s\","
                + "\"text\":\"t\",\"headers\":{");
        for (int i = 0; i < 200_000; i++) {
            json.append(i == 0 ? "" : ",").append("\"X-H").append(i).append("\":\"v\"");
        }
        json.append("}}");

        assertThat(errors(json.toString().getBytes(StandardCharsets.UTF_8)))
                .extracting(ValidationError::code).containsExactly("too_many_headers");
    }

    @Test
    void aHundredHeadersAreFine() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            headers.put("X-H" + i, "v");
        }
        assertThat(errors(Requests.changed(x -> x.setHeaders(headers)))).isEmpty();
    }

    @Test
    void countsOverTheirLimitsAreOneErrorEach() {
        SendRequest r = Requests.changed(x -> {
            List<Attachment> attachments = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                attachments.add(Requests.attachment("AA=="));
            }
            x.setAttachments(attachments);
            List<String> replyTo = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                replyTo.add("r" + i + "@example.com");
            }
            x.setReplyTo(replyTo);
            List<String> tags = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                tags.add("t" + i);
            }
            x.setTags(tags);
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (int i = 0; i < 10_000; i++) {
                metadata.put("k" + i, i);
            }
            x.setMetadata(metadata);
        });

        assertThat(errors(r)).extracting(ValidationError::field, ValidationError::code).containsExactlyInAnyOrder(
                tuple("attachments", "too_many_attachments"), tuple("replyTo", "too_many_reply_to"),
                tuple("tags", "too_many_tags"), tuple("metadata", "too_many_metadata_keys"));
    }

    @Test
    void countsAtTheirLimitsAreFine() {
        SendRequest r = Requests.changed(x -> {
            List<Attachment> attachments = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                attachments.add(Requests.attachment("AA=="));
            }
            x.setAttachments(attachments);
            x.setReplyTo(Requests.recipients(10));
            List<String> tags = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tags.add("t".repeat(128));
            }
            x.setTags(tags);
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (int i = 0; i < 50; i++) {
                metadata.put("k".repeat(127) + (i % 10), "v".repeat(1022));
            }
            x.setMetadata(metadata);
        });

        assertThat(errors(r)).isEmpty();
    }

    @Test
    void aLongTagOrALargeMetadataValueIsRefused() {
        SendRequest r = Requests.changed(x -> {
            x.setTags(List.of("ok", "t".repeat(129)));
            List<Object> deep = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                deep.add(List.of(Map.of("a", i)));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("order", "A-1");
            metadata.put("big", deep);
            metadata.put("k".repeat(129), 1);
            x.setMetadata(metadata);
        });

        assertThat(errors(r)).extracting(ValidationError::field, ValidationError::code).containsExactly(
                tuple("tags[1]", "tag_too_long"), tuple("metadata.big", "metadata_too_large"),
                tuple("metadata." + "k".repeat(129), "metadata_too_large"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Spam-Status", "x-spam-flag", "X-Spam", "X-MS-Exchange-Organization-SCL",
            "X-MS-Exchange-Organization-AuthAs", "X-MS-Exchange-CrossTenant-Id", "X-Mailbus-Ingress",
            "Authentication-Results", "Received-SPF", "X-Microsoft-Antispam", "X-Forefront-Antispam-Report"})
    void trustHeadersAreNotAllowed(String name) {
        assertThat(errors(Requests.changed(x -> x.setHeaders(Requests.headers(name, "v")))))
                .extracting(ValidationError::field, ValidationError::code)
                .containsExactly(tuple("headers." + name, "header_not_allowed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"john doe\"@example.com", "\"a>b\"@example.com", "Name <\"x>\"@example.com>",
            "\"a<b\"@example.com", "\"a,b\"@example.com", "\"a@b\"@example.com"})
    void quotedLocalPartsThatNeedTheirQuotesAreRefused(String address) {
        assertThat(errors(Requests.changed(x -> x.setTo(List.of(address)))))
                .extracting(ValidationError::field, ValidationError::code)
                .containsExactly(tuple("to[0]", "quoted_local_part"));
    }

    @Test
    void anOperatorMayAllowQuotedLocalParts() {
        validator.setAllowQuotedLocalParts(true);

        assertThat(errors(Requests.changed(x -> x.setTo(List.of("\"john doe\"@example.com"))))).isEmpty();
    }

    @Test
    void aQuotedLocalPartThatIsADotAtomIsFine() {
        assertThat(errors(Requests.changed(x -> x.setTo(List.of("\"john.doe\"@example.com"))))).isEmpty();
    }

    @Test
    void settingsReachTheRules() {
        validator.setMaxHeaders(1);
        validator.setMaxAttachments(0);
        validator.setMaxReplyTo(0);
        validator.setMaxTags(0);
        validator.setMaxMetadataKeys(0);

        assertThat(errors(Requests.changed(x -> {
            x.setHeaders(Requests.headers("X-A", "1", "X-B", "2"));
            x.setAttachments(List.of(Requests.attachment("AA==")));
            x.setReplyTo(List.of("r@example.com"));
            x.setTags(List.of("t"));
            x.setMetadata(Map.of("k", "v"));
        }))).extracting(ValidationError::code).containsExactlyInAnyOrder("too_many_headers", "too_many_attachments",
                "too_many_reply_to", "too_many_tags", "too_many_metadata_keys");
    }

    @Test
    void errorMessagesNeverCarryRawControlCharacters() {
        String json = "{\"to\":\"a@example.com\",\"from\":\"b@example.com\",\"subject\":\"s\",\"text\":\"t\","
                + "\"headers\":{\"X-A\\r\\nBcc: evil@example.com\":\"v\", \"X-B\\u0000\\u2028\\u202e\":\"v\"},"
                + "\"cc \\n\":\"c@example.com\"}";

        InvalidSendRequestException ex = refusal(json);

        assertThat(ex.getErrors()).hasSize(3);
        assertThat(ex.getMessage()).doesNotContainPattern("[\\x00-\\x1f\\x7f\\u0085\\u2028\\u2029\\u202e]")
                .contains("headers.X-A\\r\\nBcc: evil@example.com=header_injection");
        for (ValidationError e : ex.getErrors()) {
            assertThat(e.field() + e.message()).doesNotContainPattern("[\\x00-\\x1f\\x7f\\u0085\\u2028\\u2029\\u202e]");
        }
    }
}
