package io.mailbus.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.mailbus.request.Requests.MB25;
import static io.mailbus.request.Requests.attachment;
import static io.mailbus.request.Requests.bad;
import static io.mailbus.request.Requests.base64OfSize;
import static io.mailbus.request.Requests.ok;
import static io.mailbus.request.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Pins the attachment rules at the boundaries the issue names (25 MB / 25 MB + 1 decoded, 100 MB in all, 255/256
 * character filenames), the base64 scan, and the content id and disposition kept for the MIME step.
 */
class AttachmentRulesTest {

    private static final AttachmentRules RULES = new AttachmentRules(MB25, 4L * MB25, 100);

    static Stream<Arguments> rules() {
        return Stream.of(
                ok("attachment of exactly 25 MB", r -> r.setAttachments(List.of(attachment(base64OfSize(MB25))))),
                bad("attachment of 25 MB + 1", r -> r.setAttachments(List.of(attachment(base64OfSize(MB25 + 1)))),
                        "attachments[0].data", "attachment_too_large"),
                ok("four attachments of 25 MB: 100 MB together", r -> {
                    String data = base64OfSize(MB25);
                    r.setAttachments(List.of(attachment(data), attachment(data), attachment(data), attachment(data)));
                }),
                bad("100 MB + 1 together", r -> {
                    String data = base64OfSize(MB25);
                    r.setAttachments(List.of(attachment(data), attachment(data), attachment(data), attachment(data),
                            attachment("AA==")));
                }, "attachments", "attachments_too_large"),
                ok("base64 with MIME line breaks", r -> r.setAttachments(List.of(attachment("AAAA\r\nAAAA\nAA==")))),
                ok("empty attachment", r -> r.setAttachments(List.of(attachment("")))),
                bad("base64 with a bad character", r -> r.setAttachments(List.of(attachment("AA*A"))),
                        "attachments[0].data", "invalid_base64"),
                bad("base64 with a bad length", r -> r.setAttachments(List.of(attachment("AAA"))),
                        "attachments[0].data", "invalid_base64"),
                bad("base64 with data after padding", r -> r.setAttachments(List.of(attachment("AA=A"))),
                        "attachments[0].data", "invalid_base64"),
                bad("attachment without data", r -> r.setAttachments(List.of(attachment(null))),
                        "attachments[0].data", "required"),
                bad("null attachment", r -> r.setAttachments(java.util.Arrays.asList((Attachment) null)),
                        "attachments[0]", "required"),
                bad("attachment without filename", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setFilename(null)))), "attachments[0].filename", "required"),
                bad("filename with a slash", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setFilename("../etc/passwd")))), "attachments[0].filename", "invalid_filename"),
                bad("filename with a backslash", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setFilename("c:\\x.exe")))), "attachments[0].filename", "invalid_filename"),
                bad("filename ..", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setFilename("..")))), "attachments[0].filename", "invalid_filename"),
                ok("filename of 255 characters", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setFilename("f".repeat(255)))))),
                bad("filename of 256 characters", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setFilename("f".repeat(256))))), "attachments[0].filename", "invalid_filename"),
                bad("filename with a tab-free control character", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setFilename("a\u0007b")))), "attachments[0].filename", "invalid_character"),
                ok("content type with parameters", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setContentType("text/plain; charset=\"utf-8\""))))),
                bad("content type without subtype", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setContentType("text")))), "attachments[0].contentType", "invalid_content_type"),
                bad("multipart content type", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setContentType("multipart/mixed; boundary=x")))),
                        "attachments[0].contentType", "invalid_content_type"),
                bad("non-ASCII content type", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setContentType("tëxt/plain")))), "attachments[0].contentType", "invalid_content_type"),
                bad("missing content type", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setContentType(null)))), "attachments[0].contentType", "required"),
                ok("content id in angle brackets", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setContentId("<logo@example.com>"))))),
                bad("content id with a space", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setContentId("a b")))), "attachments[0].contentId", "invalid_content_id"),
                bad("unknown disposition", r -> r.setAttachments(List.of(with(attachment("AA=="),
                        a -> a.setDisposition("form-data")))), "attachments[0].disposition", "invalid_disposition"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleAnswersWithItsOwnCode(String rule, Consumer<SendRequest> change, String field, String code) {
        Requests.assertOnly(Requests.errors(RULES, change), field, code);
    }

    @Test
    void limitsAreTheOnesGiven() {
        List<ValidationError> errors = new ArrayList<>();

        new AttachmentRules(3, 5, 100).check(Requests.changed(r -> r.setAttachments(
                List.of(attachment("AAAA"), attachment("AAAA"), attachment("AAAAAA==")))), new SendRequest(), errors);

        assertThat(errors).extracting(ValidationError::field, ValidationError::code).containsExactly(
                tuple("attachments[2].data", "attachment_too_large"),
                tuple("attachments", "attachments_too_large"));
    }

    @Test
    void contentIdLosesItsBracketsAndMakesThePartInline() {
        SendRequest out = new SendRequest();
        List<Attachment> in = List.of(with(attachment("AA=="), a -> a.setContentId(" <logo@example.com> ")),
                attachment("AA=="));

        RULES.check(Requests.changed(r -> r.setAttachments(in)), out, new ArrayList<>());

        assertThat(out.getAttachments()).extracting(Attachment::getContentId, Attachment::getDisposition)
                .containsExactly(tuple("logo@example.com", "inline"), tuple(null, "attachment"));
        assertThat(out.getAttachments().get(0).getData()).isSameAs(in.get(0).getData());
    }
}
