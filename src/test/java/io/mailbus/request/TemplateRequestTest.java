package io.mailbus.request;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.mailbus.template.MustacheTemplates;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Pins what the validator makes of template and personalizations: the rendered parts pass the same rules (a CR/LF a
 * variable brings into the subject is header_injection), template and written parts conflict, and a personalised
 * request becomes one message per entry with derived ids, its errors naming the entry.
 */
class TemplateRequestTest {

    @TempDir
    Path dir;

    private final SendRequestValidator validator = new SendRequestValidator(100);

    @BeforeEach
    void templates() throws Exception {
        Files.createDirectories(dir.resolve("hello"));
        Files.writeString(dir.resolve("hello/subject.mustache"), "Hello {{name}}\n");
        Files.writeString(dir.resolve("hello/html.mustache"), "<p>{{name}}</p>");
        validator.setTemplates(new MustacheTemplates(dir));
        validator.setDefaultFrom("noreply@example.com");
    }

    private Exchange run(String json) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setBody(json);
        validator.process(e);
        return e;
    }

    private List<org.assertj.core.groups.Tuple> errors(String json) {
        InvalidSendRequestException ex = catchThrowableOfType(InvalidSendRequestException.class, () -> run(json));
        assertThat(ex).as(json).isNotNull();
        return ex.getErrors().stream().map(v -> tuple(v.field(), v.code())).toList();
    }

    @Test
    void rendersTheTemplateIntoTheRequest() {
        SendRequest r = run("""
                {"to": "a@example.com", "template": "hello", "variables": {"name": "<Ann>"}}""")
                .getMessage().getBody(SendRequest.class);
        assertThat(r.getSubject()).isEqualTo("Hello <Ann>");
        assertThat(r.getHtml()).isEqualTo("<p>&lt;Ann&gt;</p>");
        assertThat(r.getTemplate()).isNull();
        assertThat(r.getVariables()).isEmpty();
    }

    @Test
    void refusesAVariableThatWouldInjectAHeaderIntoTheSubject() {
        assertThat(errors("""
                {"to": "a@example.com", "template": "hello", "variables": {"name": "x\\r\\nBcc: evil@example.com"}}"""))
                .contains(tuple("subject", "header_injection"));
    }

    @Test
    void reportsUnknownTemplatesMissingVariablesAndConflicts() {
        assertThat(errors("""
                {"to": "a@example.com", "template": "nope"}""")).containsExactly(tuple("template", "template_unknown"));
        assertThat(errors("""
                {"to": "a@example.com", "template": "hello"}"""))
                .containsExactly(tuple("variables.name", "template_variable_missing"));
        assertThat(errors("""
                {"to": "a@example.com", "template": "hello", "subject": "s", "variables": {"name": "x"}}"""))
                .containsExactly(tuple("subject", "template_conflict"));
        assertThat(errors("""
                {"to": "a@example.com", "subject": "s", "text": "t", "variables": {"name": "x"}}"""))
                .containsExactly(tuple("template", "required"));
    }

    @Test
    void expandsPersonalizationsIntoOneMessageEachWithDerivedIds() {
        Exchange e = run("""
                {"id": "news-7", "template": "hello", "variables": {"name": "all"},
                 "personalizations": [{"to": ["a@example.com"], "variables": {"name": "Ann"}},
                                      {"to": ["b@example.com"]}]}""");
        List<?> messages = e.getMessage().getBody(List.class);
        assertThat(messages).hasSize(2);
        SendRequest first = (SendRequest) messages.get(0);
        SendRequest second = (SendRequest) messages.get(1);
        assertThat(first.getId()).isEqualTo("news-7-0");
        assertThat(first.getTo()).containsExactly("a@example.com");
        assertThat(first.getSubject()).isEqualTo("Hello Ann");
        assertThat(second.getId()).isEqualTo("news-7-1");
        assertThat(second.getSubject()).isEqualTo("Hello all");
        assertThat(e.getMessage().getHeader(SendRequestValidator.REQUEST_ID_HEADER)).isEqualTo("news-7");
    }

    @Test
    void namesTheEntryInAPersonalisedRequestsErrors() {
        assertThat(errors("""
                {"template": "hello", "to": ["x@example.com"],
                 "personalizations": [{"to": ["a@example.com"], "variables": {"name": "A"}}, {"to": ["bad"]}]}"""))
                .containsExactly(tuple("to", "recipients_conflict"),
                        tuple("personalizations[1].variables.name", "template_variable_missing"),
                        tuple("personalizations[1].to[0]", "invalid_address"));
    }
}
