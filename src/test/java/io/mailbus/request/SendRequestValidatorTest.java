package io.mailbus.request;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Pins the processor contract the delivery route relies on: JSON in any body type, every error at once in
 * one {@link InvalidSendRequestException}, and on success a normalised {@link SendRequest} body with the
 * MailbusRequestId header; and that its settings (limits, default sender, known servers) reach the rules.
 */
class SendRequestValidatorTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final SendRequestValidator validator = new SendRequestValidator(100);

    private Exchange exchange(Object body) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(body);
        return e;
    }

    /** The errors {@code validator} refuses {@code body} with; empty when it accepts it. */
    private List<ValidationError> errors(SendRequestValidator v, Object body) {
        InvalidSendRequestException ex = catchThrowableOfType(InvalidSendRequestException.class,
                () -> v.process(exchange(body)));
        return ex == null ? List.of() : ex.getErrors();
    }

    @Test
    void acceptsAMinimalRequestObject() {
        assertThat(errors(validator, Requests.valid())).isEmpty();
    }

    @Test
    void acceptsJsonStringAndSetsNormalisedBodyAndRequestIdHeader() throws Exception {
        validator.setDefaultFrom("Mailbus <noreply@example.com>");
        Exchange e = exchange("""
                {"to": [" a@example.com ", "A@EXAMPLE.com", "Bee <b@example.com>"], "bcc": "a@example.com",
                 "subject": "  Hi  ", "text": "hello"}""");

        validator.process(e);

        SendRequest r = e.getMessage().getBody(SendRequest.class);
        assertThat(r.getId()).matches("[0-9a-f-]{36}");
        assertThat(e.getMessage().getHeader(SendRequestValidator.REQUEST_ID_HEADER)).isEqualTo(r.getId());
        assertThat(r.getFrom()).isEqualTo("Mailbus <noreply@example.com>");
        assertThat(r.getTo()).containsExactly("a@example.com", "Bee <b@example.com>");
        assertThat(r.getBcc()).isEmpty();
        assertThat(r.getSubject()).isEqualTo("Hi");
    }

    @Test
    void acceptsBytesAndKeepsClientId() throws Exception {
        Exchange e = exchange("""
                {"id": "order-42", "from": "x@example.com", "to": "y@example.org", "subject": "s", "html": "<p>h</p>"}"""
                .getBytes(StandardCharsets.UTF_8));

        validator.process(e);

        assertThat(e.getMessage().getHeader("MailbusRequestId")).isEqualTo("order-42");
    }

    @Test
    void reportsEveryErrorAtOnceWithPaths() {
        Exchange e = exchange("""
                {"from": "not-an-address", "to": [], "cc ": ["x@example.com"],
                 "subject": "a\\r\\nBcc: evil@example.net",
                 "attachments": [{"filename": "../x", "contentType": "text", "data": "%%%", "foo": 1}],
                 "headers": {"From": "a@example.com", "X-Ok": "1", "X Bad": "2"}}""");

        InvalidSendRequestException ex = catchThrowableOfType(InvalidSendRequestException.class,
                () -> validator.process(e));

        assertThat(ex.getErrors()).extracting(ValidationError::field, ValidationError::code).contains(
                org.assertj.core.groups.Tuple.tuple("cc ", "unknown_field"),
                org.assertj.core.groups.Tuple.tuple("attachments[0].foo", "unknown_field"),
                org.assertj.core.groups.Tuple.tuple("from", "invalid_address"),
                org.assertj.core.groups.Tuple.tuple("to", "no_recipients"),
                org.assertj.core.groups.Tuple.tuple("subject", "header_injection"),
                org.assertj.core.groups.Tuple.tuple("text", "body_required"),
                org.assertj.core.groups.Tuple.tuple("attachments[0].filename", "invalid_filename"),
                org.assertj.core.groups.Tuple.tuple("attachments[0].contentType", "invalid_content_type"),
                org.assertj.core.groups.Tuple.tuple("attachments[0].data", "invalid_base64"),
                org.assertj.core.groups.Tuple.tuple("headers.From", "header_not_allowed"),
                org.assertj.core.groups.Tuple.tuple("headers.X Bad", "invalid_header_name"));
    }

    @Test
    void syntaxErrorIsInvalidJson() {
        InvalidSendRequestException ex = catchThrowableOfType(InvalidSendRequestException.class,
                () -> validator.process(exchange("{\"to\": ")));

        assertThat(ex.getErrors()).extracting(ValidationError::code).containsExactly("invalid_json");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"to\": 5}                                     | to                 | invalid_type",
        "{\"to\": [\"a@example.com\", 7]}                  | to[1]              | invalid_type",
        "{\"subject\": {}}                               | subject            | invalid_type",
        "{\"headers\": {\"X-A\": 1}}                       | headers.X-A        | invalid_type",
        "{\"headers\": [\"X-A\"]}                          | headers            | invalid_type",
        "{\"attachments\": [7]}                          | attachments[0]     | invalid_type",
        "{\"attachments\": [{\"fileName\": \"a\"}]}          | attachments[0].fileName | unknown_field",
        "{\"cc \": [\"a@example.com\"]}                    | `cc `              | unknown_field",
        "{\"To\": \"a@example.com\"}                       | To                 | unknown_field",
        "{\"to\": \"a@example.com\", \"to\": \"b@example.com\"} | ``               | invalid_json",
        "{} {}                                           | ``                 | invalid_json",
        "[]                                              | ``                 | invalid_json",
        "null                                            | ``                 | invalid_json",
        "{\"to\": \"a@example.com\"                        | ``                 | invalid_json",
        "`   `                                           | ``                 | invalid_json",
    })
    void jsonShapeErrorsCarryTheirPath(String json, String field, String code) {
        InvalidSendRequestException ex = catchThrowableOfType(InvalidSendRequestException.class,
                () -> validator.process(exchange(json)));

        assertThat(ex.getErrors()).extracting(ValidationError::field, ValidationError::code)
                .contains(org.assertj.core.groups.Tuple.tuple(field, code));
    }

    @Test
    void bindsEveryFieldFromBytesWithoutATree() throws Exception {
        byte[] json = """
                {"id": "r-1", "from": "Ann <ann@example.com>", "to": "bob@example.org", "cc": ["c@example.org"],
                 "bcc": null, "replyTo": "r@example.com", "subject": "s", "text": "t", "html": "<p>h</p>",
                 "attachments": [{"filename": "a.txt", "contentType": "text/plain", "data": "aGk=",
                                  "disposition": "attachment"}],
                 "headers": {"X-A": "1"}, "tags": ["t1"], "metadata": {"n": 1, "list": [true, null, {"k": 2.5}]}}"""
                .getBytes(StandardCharsets.UTF_8);
        Exchange e = exchange(json);
        Exchange bound = exchange(SendRequestJson.mapper().readValue(json, SendRequest.class));

        validator.process(e);
        validator.process(bound);

        SendRequest r = e.getMessage().getBody(SendRequest.class);
        assertThat(SendRequestJson.mapper().writeValueAsString(r))
                .isEqualTo(SendRequestJson.mapper().writeValueAsString(bound.getMessage().getBody()));
        assertThat(r.getTo()).containsExactly("bob@example.org");
        assertThat(r.getAttachments()).singleElement().extracting(Attachment::getData).isEqualTo("aGk=");
        assertThat(r.getMetadata()).containsEntry("n", 1).containsKey("list");
    }

    @Test
    void aSyntaxErrorAfterShapeErrorsIsOnlyInvalidJson() {
        InvalidSendRequestException ex = catchThrowableOfType(InvalidSendRequestException.class,
                () -> validator.process(exchange("{\"bogus\": 1, \"to\": 5, \"subject\": ")));

        assertThat(ex.getErrors()).extracting(ValidationError::code).containsExactly("invalid_json");
    }

    @Test
    void readsAnInputStreamBody() throws Exception {
        Exchange e = exchange(new ByteArrayInputStream("""
                {"from": "x@example.com", "to": "y@example.org", "subject": "s", "text": "t"}"""
                .getBytes(StandardCharsets.UTF_8)));

        validator.process(e);

        assertThat(e.getMessage().getBody()).isInstanceOf(SendRequest.class);
    }

    @Test
    void validatesARequestObjectBodyWithoutJson() {
        SendRequest r = new SendRequest();
        r.setTo(java.util.List.of("y@example.org"));

        InvalidSendRequestException ex = catchThrowableOfType(InvalidSendRequestException.class,
                () -> validator.process(exchange(r)));

        assertThat(ex.getErrors()).extracting(ValidationError::code)
                .containsExactly("required", "required", "body_required");
    }

    @Test
    void limitsAreConfigurable() {
        SendRequestValidator v = new SendRequestValidator(2);
        v.setMaxSubjectLength(5);
        v.setMaxTextBytes(4);
        v.setMaxAttachmentBytes(3);
        v.setMaxTotalAttachmentBytes(5);
        SendRequest r = Requests.valid();
        r.setTo(Requests.recipients(3));
        r.setSubject("123456");
        r.setText("ééé");
        r.setHtml("1234");
        r.setAttachments(List.of(Requests.attachment("AAAA"), Requests.attachment("AAAA"),
                Requests.attachment("AAAAAA==")));

        assertThat(errors(v, r)).extracting(ValidationError::field, ValidationError::code).containsExactly(
                tuple("to", "too_many_recipients"),
                tuple("subject", "subject_too_long"),
                tuple("text", "text_too_large"),
                tuple("attachments[2].data", "attachment_too_large"),
                tuple("attachments", "attachments_too_large"));
    }

    @Test
    void serverMustBeANameTheResolverKnowsWhenOneIsGiven() {
        SendRequest r = Requests.valid();
        r.setServer(" bulk ");
        assertThat(errors(validator, r)).isEmpty();

        SendRequestValidator v = new SendRequestValidator(100);
        v.setKnownServers(Set.of("default", "transactional")::contains);
        assertThat(errors(v, r)).extracting(ValidationError::field, ValidationError::code)
                .containsExactly(tuple("server", "unknown_server"));

        v.setKnownServers(Set.of("bulk")::contains);
        Exchange e = exchange(r);
        v.process(e);
        assertThat(e.getMessage().getBody(SendRequest.class).getServer()).isEqualTo("bulk");
    }
}
