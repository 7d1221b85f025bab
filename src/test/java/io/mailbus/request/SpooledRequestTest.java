package io.mailbus.request;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A large request read from its spooled JSON ({@link SpooledJson}): each attachment decoded into a file of the spool
 * while it is read, judged by the same rules and codes as a request held as text (base64 validity, the size limits),
 * and written back as the same JSON for the next queue.
 */
class SpooledRequestTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final Exchange exchange = new DefaultExchange(camel);
    private final SendRequestValidator validator = new SendRequestValidator(100);
    private final Spool spool = Spool.of(exchange);

    @AfterEach
    void deleteSpool() {
        spool.delete();
    }

    private Exchange spooled(String json) throws Exception {
        Path file = spool.newFile(".json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        exchange.getMessage().setBody(new SpooledJson(file, spool));
        return exchange;
    }

    private static String request(String... data) {
        StringBuilder attachments = new StringBuilder();
        for (int i = 0; i < data.length; i++) {
            attachments.append(i > 0 ? "," : "").append("{\"filename\": \"a").append(i)
                    .append(".bin\", \"contentType\": \"application/octet-stream\", \"data\": \"").append(data[i])
                    .append("\"}");
        }
        return "{\"from\": \"a@example.com\", \"to\": \"b@example.com\", \"subject\": \"s\", \"text\": \"t\", "
               + "\"attachments\": [" + attachments + "]}";
    }

    private List<ValidationError> errors(String json) throws Exception {
        Exchange e = spooled(json);
        InvalidSendRequestException ex = catchThrowableOfType(InvalidSendRequestException.class,
                () -> validator.process(e));
        return ex == null ? List.of() : ex.getErrors();
    }

    @Test
    void decodesEachAttachmentIntoTheSpoolAndKeepsNoString() throws Exception {
        byte[] one = new byte[100_000];
        new Random(1).nextBytes(one);
        byte[] two = "hello".getBytes(StandardCharsets.US_ASCII);
        // MIME line breaks (escaped in JSON) between groups are tolerated, as they are in a request held as text
        String wrapped = Base64.getMimeEncoder().encodeToString(one).replace("\r\n", "\\r\\n");
        Exchange e = spooled(request(wrapped, Base64.getEncoder().encodeToString(two)));

        validator.process(e);

        SendRequest r = e.getMessage().getBody(SendRequest.class);
        assertThat(r.getAttachments()).hasSize(2).allSatisfy(a -> assertThat(a.getData()).isNull());
        assertThat(Files.readAllBytes(r.getAttachments().get(0).getSpooled().file())).isEqualTo(one);
        assertThat(r.getAttachments().get(0).getSpooled().size()).isEqualTo(one.length);
        assertThat(Files.readAllBytes(r.getAttachments().get(1).getSpooled().file())).isEqualTo(two);
        assertThat(r.getAttachments().get(1).getFilename()).isEqualTo("a1.bin");
    }

    @Test
    void refusesDataThatIsNotBase64WithItsFieldAndCode() throws Exception {
        assertThat(errors(request("QUJD", "not*base64")))
                .extracting(ValidationError::field, ValidationError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("attachments[1].data", "invalid_base64"));
        assertThat(errors(request("QUJDRA"))).extracting(ValidationError::code).containsExactly("invalid_base64");
    }

    @Test
    void enforcesTheAttachmentLimitsOnTheDecodedSize() throws Exception {
        validator.setMaxAttachmentBytes(4);
        validator.setMaxTotalAttachmentBytes(6);
        String four = Base64.getEncoder().encodeToString(new byte[4]);
        String five = Base64.getEncoder().encodeToString(new byte[5]);

        assertThat(errors(request(four))).isEmpty();
        assertThat(errors(request(five))).extracting(ValidationError::field, ValidationError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("attachments[0].data", "attachment_too_large"));
        assertThat(errors(request(four, four))).extracting(ValidationError::field, ValidationError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("attachments", "attachments_too_large"));
    }

    @Test
    void reportsTheOtherFieldsErrorsAsForARequestHeldAsText() throws Exception {
        String json = request("QUJD").replace("\"to\": \"b@example.com\"", "\"to\": \"nobody\"")
                .replace("\"text\": \"t\"", "\"txt\": \"t\"");
        assertThat(errors(json)).extracting(ValidationError::field)
                .containsExactlyInAnyOrderElementsOf(validatorErrorsOfText(json));
    }

    private List<String> validatorErrorsOfText(String json) {
        InvalidSendRequestException ex = catchThrowableOfType(InvalidSendRequestException.class,
                () -> validator.validate(json, "id-1"));
        return ex.getErrors().stream().map(ValidationError::field).toList();
    }

    @Test
    void writesTheSpooledRequestBackAsTheSameJsonInAFileOfTheSpool() throws Exception {
        byte[] bytes = new byte[70_000];
        new Random(2).nextBytes(bytes);
        Exchange e = spooled(request(Base64.getEncoder().encodeToString(bytes)));
        validator.process(e);
        SendRequest r = e.getMessage().getBody(SendRequest.class);

        Object body = SendRequestJson.body(r);

        assertThat(body).isInstanceOf(File.class);
        assertThat(((File) body).toPath().getParent()).isEqualTo(spool.dir());
        JsonNode json = SendRequestJson.mapper().readTree((File) body);
        assertThat(Base64.getDecoder().decode(json.at("/attachments/0/data").asText())).isEqualTo(bytes);
        assertThat(json.at("/attachments/0/filename").asText()).isEqualTo("a0.bin");
        // and read again as a request held as text: the same request
        SendRequest again = validator.validate(Files.readString(((File) body).toPath()), null);
        assertThat(Base64.getDecoder().decode(again.getAttachments().get(0).getData())).isEqualTo(bytes);
    }

    @Test
    void writesASmallRequestAsText() {
        SendRequest r = validator.validate(request("QUJD"), "id-2");
        assertThat(SendRequestJson.body(r)).isInstanceOf(String.class).asString().contains("\"data\":\"QUJD\"");
    }

    @Test
    void takesASpoolThatCannotBeWrittenForTheMachinesFaultNotTheRequests() throws Exception {
        Path json = Files.createTempFile("spooled-request", ".json");
        try {
            Files.writeString(json, request("QUJD"));
            spool.delete(); // as a full disk would: no attachment file can be written
            exchange.getMessage().setBody(new SpooledJson(json, spool));

            assertThat(catchThrowableOfType(Spool.SpoolFailedException.class, () -> validator.process(exchange)))
                    .as("not invalid_json: the request is not at fault").isNotNull();
        } finally {
            Files.deleteIfExists(json);
        }
    }
}
