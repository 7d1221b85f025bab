package io.mailbus.template;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mailbus.request.TemplateRenderer.Rendered;
import io.mailbus.request.ValidationError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Pins the template folder's contract: html escapes variables and text and subject do not, the file's final newline
 * is not the subject's, a missing top-level variable or an unknown (or path-like) name is an error with its field,
 * and an edited file takes effect on the next render.
 */
class MustacheTemplatesTest {

    @TempDir
    Path dir;

    private void write(String name, String part, String content) throws Exception {
        Files.createDirectories(dir.resolve(name));
        Files.writeString(dir.resolve(name).resolve(part + ".mustache"), content);
    }

    @Test
    void escapesHtmlOnlyAndDropsTheSubjectFilesFinalNewline() throws Exception {
        write("t", "subject", "Hi {{name}}\n");
        write("t", "text", "Hello {{name}} & {{company}}");
        write("t", "html", "<p>Hello {{name}}</p>");
        List<ValidationError> errors = new ArrayList<>();

        Rendered r = new MustacheTemplates(dir).render("t", Map.of("name", "<b>Tom & \"Jerry\"</b>", "company", "A&B"),
                errors);

        assertThat(errors).isEmpty();
        assertThat(r.subject()).isEqualTo("Hi <b>Tom & \"Jerry\"</b>");
        assertThat(r.text()).isEqualTo("Hello <b>Tom & \"Jerry\"</b> & A&B");
        assertThat(r.html()).isEqualTo("<p>Hello &lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;</p>");
    }

    @Test
    void reportsEveryMissingTopLevelVariableButNotThoseInsideSections() throws Exception {
        write("t", "subject", "Order {{order.number}} for {{name}}");
        write("t", "text", "{{#items}}{{title}}{{/items}}{{greeting}}");
        List<ValidationError> errors = new ArrayList<>();

        assertThat(new MustacheTemplates(dir).render("t", Map.of("name", "x"), errors)).isNull();
        assertThat(errors).extracting(ValidationError::field, ValidationError::code).containsExactly(
                tuple("variables.order", "template_variable_missing"),
                tuple("variables.greeting", "template_variable_missing"));
    }

    @Test
    void refusesUnknownAndPathLikeNames() throws Exception {
        write("t", "text", "no subject part");
        for (String name : List.of("nope", "../t", "t/../t", "", "t")) {
            List<ValidationError> errors = new ArrayList<>();
            assertThat(new MustacheTemplates(dir).render(name, Map.of(), errors)).isNull();
            assertThat(errors).extracting(ValidationError::field, ValidationError::code)
                    .containsExactly(tuple("template", "template_unknown"));
        }
    }

    @Test
    void picksUpAnEditedFileWithoutARestart() throws Exception {
        write("t", "subject", "first {{x}}");
        MustacheTemplates templates = new MustacheTemplates(dir);
        assertThat(templates.render("t", Map.of("x", "1"), new ArrayList<>()).subject()).isEqualTo("first 1");

        Path subject = dir.resolve("t").resolve("subject.mustache");
        Files.writeString(subject, "second {{x}}");
        Files.setLastModifiedTime(subject, FileTime.fromMillis(Files.getLastModifiedTime(subject).toMillis() + 2000));

        assertThat(templates.render("t", Map.of("x", "1"), new ArrayList<>()).subject()).isEqualTo("second 1");
    }
}
