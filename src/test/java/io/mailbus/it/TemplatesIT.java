package io.mailbus.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins templates end to end on real Artemis and GreenMail: a request naming a template arrives rendered (html
 * variables escaped, text and subject as given); a personalised request over HTTP and over JMS becomes one message per
 * entry, each with its own subject, recipients, derived id and events; an unknown template or a missing variable is a
 * 400 naming the field; an edited template file is used by the next request without a restart.
 */
class TemplatesIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path templates;

    @Override
    protected void overrides(java.util.Properties p) {
        try {
            templates = Files.createTempDirectory("mailbus-templates");
            Files.createDirectories(templates.resolve("welcome"));
            Files.writeString(templates.resolve("welcome/subject.mustache"), "Welcome {{name}} to {{product}}\n");
            Files.writeString(templates.resolve("welcome/text.mustache"), "Hello {{name}}, <plain> & {{product}}");
            Files.writeString(templates.resolve("welcome/html.mustache"), "<p>Hello {{name}} at {{product}}</p>");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("mailbus.templates.dir", templates.toString());
        p.put("mailbus.kafka.enabled", "false");
    }

    /** Subscribed to the status events before anything is sent: a late topic subscriber misses them. */
    @org.junit.jupiter.api.BeforeEach
    void subscribeToEvents() throws Exception {
        bus();
    }

    @Test
    void shouldRenderATemplateEscapingHtmlOnly() throws Exception {
        String product = "T" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = post("""
                {"to": ["ann@example.com"], "template": "welcome",
                 "variables": {"name": "<script>Ann & Co</script>", "product": "%s"}}""".formatted(product), API_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

        MimeMessage mail = Mailboxes.awaitSubject(greenMail(), "Welcome <script>Ann & Co</script> to " + product, 1)
                .get(0);
        Multipart alternative = (Multipart) mail.getContent();
        assertThat(part(alternative, "text/plain")).isEqualTo("Hello <script>Ann & Co</script>, <plain> & " + product);
        assertThat(part(alternative, "text/html"))
                .isEqualTo("<p>Hello &lt;script&gt;Ann &amp; Co&lt;/script&gt; at " + product + "</p>");
    }

    @Test
    void shouldSendOneMessagePerPersonalizationOverHttp() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = post("""
                {"id": "welcome-%1$s", "template": "welcome", "variables": {"product": "P%1$s", "name": "friend"},
                 "personalizations": [{"to": ["p1@example.com"], "variables": {"name": "Pia"}},
                                      {"to": ["p2@example.com"], "variables": {"name": "Paul"}},
                                      {"to": ["p3@example.com"]}]}""".formatted(run), API_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asText()).isEqualTo("welcome-" + run);
        assertThat(body.path("messages")).extracting(m -> m.path("id").asText())
                .containsExactly("welcome-" + run + "-0", "welcome-" + run + "-1", "welcome-" + run + "-2");

        assertRecipient("Welcome Pia to P" + run, "p1@example.com");
        assertRecipient("Welcome Paul to P" + run, "p2@example.com");
        assertRecipient("Welcome friend to P" + run, "p3@example.com");
        for (int i = 0; i < 3; i++) {
            List<JsonNode> events = bus().awaitEvent("welcome-" + run + "-" + i, BusClient.named("delivered"));
            assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "delivered");
        }
    }

    @Test
    void shouldSendOneMessagePerPersonalizationOverJms() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        bus().send("email.send", """
                {"id": "jms-welcome-%1$s", "template": "welcome", "variables": {"product": "J%1$s"},
                 "personalizations": [{"to": ["j1@example.com"], "variables": {"name": "<Jo>"}},
                                      {"to": ["j2@example.com"], "variables": {"name": "Jay"}}]}""".formatted(run),
                Map.of());

        MimeMessage jo = assertRecipient("Welcome <Jo> to J" + run, "j1@example.com");
        assertThat(part((Multipart) jo.getContent(), "text/html")).isEqualTo("<p>Hello &lt;Jo&gt; at J" + run + "</p>");
        assertRecipient("Welcome Jay to J" + run, "j2@example.com");
        List<JsonNode> events = bus().awaitEvent("jms-welcome-" + run + "-1", BusClient.named("delivered"));
        assertThat(events).allSatisfy(e -> assertThat(e.path("ingress").asText()).isEqualTo("jms"));
    }

    @Test
    void shouldRefuseAnUnknownTemplateOrAMissingVariable() throws Exception {
        HttpResponse<String> unknown = post("""
                {"to": ["x@example.com"], "template": "nope", "variables": {"name": "x"}}""", API_KEY);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).at("/errors/0/code").asText()).isEqualTo("template_unknown");
        assertThat(JSON.readTree(unknown.body()).at("/errors/0/field").asText()).isEqualTo("template");

        HttpResponse<String> missing = post("""
                {"to": ["x@example.com"], "template": "welcome", "variables": {"name": "x"}}""", API_KEY);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).at("/errors/0/code").asText()).isEqualTo("template_variable_missing");
        assertThat(JSON.readTree(missing.body()).at("/errors/0/field").asText()).isEqualTo("variables.product");

        HttpResponse<String> injected = post("""
                {"to": ["x@example.com"], "template": "welcome",
                 "variables": {"name": "x\\r\\nBcc: evil@example.com", "product": "p"}}""", API_KEY);
        assertThat(injected.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(injected.body()).at("/errors/0/code").asText()).isEqualTo("header_injection");
    }

    @Test
    void shouldUseAnEditedTemplateWithoutARestart() throws Exception {
        Files.createDirectories(templates.resolve("edited"));
        Path subject = templates.resolve("edited/subject.mustache");
        Files.writeString(subject, "First {{n}}");
        Files.writeString(templates.resolve("edited/text.mustache"), "x");
        String n = UUID.randomUUID().toString();
        assertThat(post("""
                {"to": ["e@example.com"], "template": "edited", "variables": {"n": "%s"}}""".formatted(n), API_KEY)
                .statusCode()).isEqualTo(202);
        Mailboxes.awaitSubject(greenMail(), "First " + n, 1);

        Files.writeString(subject, "Second {{n}}");
        Files.setLastModifiedTime(subject, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(post("""
                {"to": ["e@example.com"], "template": "edited", "variables": {"n": "%s"}}""".formatted(n), API_KEY)
                .statusCode()).isEqualTo(202);
        Mailboxes.awaitSubject(greenMail(), "Second " + n, 1);
    }

    @Test
    void shouldDescribeTemplateFieldsInTheOpenApiDocument() throws Exception {
        HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + httpPort() + "/api/v1/openapi.json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode schemas = JSON.readTree(response.body()).at("/components/schemas");
        Files.writeString(Path.of("target/openapi.json"), response.body());

        assertThat(schemas.at("/SendRequest/properties/template/type").asText()).isEqualTo("string");
        assertThat(schemas.at("/SendRequest/properties/variables/type").asText()).isEqualTo("object");
        assertThat(schemas.at("/SendRequest/properties/personalizations/items/$ref").asText())
                .endsWith("/Personalization");
        assertThat(schemas.at("/Personalization/properties/to/type").asText()).isEqualTo("array");
        assertThat(schemas.at("/MessageStatus/properties/messages/items/$ref").asText()).endsWith("/MessageStatus");
        // the API key as a security scheme every operation requires (redocly's security-defined rule)
        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/security/0/apiKey").isArray()).isTrue();
    }

    private MimeMessage assertRecipient(String subject, String to) throws Exception {
        List<MimeMessage> mails = Mailboxes.awaitSubject(greenMail(), subject, 1);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getRecipients(Message.RecipientType.TO)).extracting(Object::toString).containsExactly(to);
        return mails.get(0);
    }

    private static String part(Multipart multipart, String type) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart p = multipart.getBodyPart(i);
            if (p.isMimeType(type)) {
                return String.valueOf(p.getContent()).replace("\r\n", "\n").strip();
            }
        }
        throw new AssertionError("no " + type + " part");
    }
}
