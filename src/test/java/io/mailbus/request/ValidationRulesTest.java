package io.mailbus.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Pins each validation rule and its code at the boundaries the issue names (254/255-character addresses,
 * 100/101 recipients, 998/999-character subjects, 25 MB/25 MB+1 attachments): a valid case yields no error,
 * an invalid one yields exactly one error with the expected field and code, so no rule leaks into another.
 */
class ValidationRulesTest {

    private static final int MB25 = 25 * 1024 * 1024;

    static SendRequest valid() {
        SendRequest r = new SendRequest();
        r.setFrom("sender@example.com");
        r.setTo(new ArrayList<>(List.of("to@example.com")));
        r.setSubject("Hello");
        r.setText("body");
        return r;
    }

    static Attachment attachment(String data) {
        Attachment a = new Attachment();
        a.setFilename("file.bin");
        a.setContentType("application/octet-stream");
        a.setData(data);
        return a;
    }

    /** An address of exactly {@code length} characters with a 64-character local part. */
    static String address(int length) {
        StringBuilder domain = new StringBuilder();
        int remaining = length - 65 - 4;
        while (remaining > 0) {
            int label = Math.min(remaining, 62);
            if (remaining - label == 1) {
                label--;
            }
            domain.append("d".repeat(label));
            remaining -= label;
            if (remaining > 0) {
                domain.append('.');
                remaining--;
            }
        }
        return "a".repeat(64) + "@" + domain + ".com";
    }

    static List<String> recipients(int n) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add("r" + i + "@example.com");
        }
        return list;
    }

    static String base64OfSize(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }

    static Arguments ok(String rule, Consumer<SendRequest> change) {
        return arguments(rule, change, null, null);
    }

    static Arguments bad(String rule, Consumer<SendRequest> change, String field, String code) {
        return arguments(rule, change, field, code);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                ok("minimal request", r -> { }),
                ok("quoted display name with a comma", r -> r.setTo(List.of("\"Doe, John\" <j@example.com>"))),
                ok("internationalised domain", r -> r.setTo(List.of("user@bücher.example"))),
                ok("254-character address", r -> r.setTo(List.of(address(254)))),
                ok("non-ASCII display name", r -> r.setTo(List.of("Jörg Ünïcødé 😀 <j@example.com>"))),
                bad("255-character address", r -> r.setTo(List.of(address(255))), "to[0]", "address_too_long"),
                bad("no at sign", r -> r.setTo(List.of("plainaddress")), "to[0]", "invalid_address"),
                bad("domain without TLD", r -> r.setTo(List.of("a@localhost")), "to[0]", "invalid_address"),
                bad("IP literal domain", r -> r.setTo(List.of("a@[192.0.2.1]")), "to[0]", "invalid_address"),
                bad("two addresses in one entry", r -> r.setTo(List.of("a@example.com, b@example.com")),
                        "to[0]", "invalid_address"),
                bad("two at signs", r -> r.setTo(List.of("a@b@example.com")), "to[0]", "invalid_address"),
                bad("comment in address", r -> r.setTo(List.of("(x)a@example.com")), "to[0]", "invalid_address"),
                bad("null address", r -> r.setTo(java.util.Arrays.asList((String) null)), "to[0]", "invalid_address"),
                bad("non-ASCII local part without SMTPUTF8", r -> r.setCc(List.of("jörg@example.com")),
                        "cc[0]", "non_ascii_local_part"),
                bad("display name of 257 characters", r -> r.setTo(List.of("n".repeat(257) + " <a@example.com>")),
                        "to[0]", "display_name_too_long"),
                bad("invalid from", r -> r.setFrom("nobody"), "from", "invalid_address"),
                bad("missing from without default", r -> r.setFrom(null), "from", "required"),
                bad("invalid replyTo", r -> r.setReplyTo(List.of("x")), "replyTo[0]", "invalid_address"),
                ok("100 recipients across to, cc and bcc", r -> {
                    List<String> all = recipients(100);
                    r.setTo(all.subList(0, 40));
                    r.setCc(all.subList(40, 70));
                    r.setBcc(all.subList(70, 100));
                }),
                ok("101 entries of which two are the same address in another case", r -> {
                    List<String> all = new ArrayList<>(recipients(100));
                    all.add("R7@EXAMPLE.COM");
                    r.setTo(all);
                }),
                bad("101 distinct recipients", r -> r.setTo(recipients(101)), "to", "too_many_recipients"),
                bad("no recipients", r -> r.setTo(List.of()), "to", "no_recipients"),
                ok("998-character subject", r -> r.setSubject("s".repeat(998))),
                ok("998 astral characters in the subject", r -> r.setSubject("😀".repeat(998))),
                bad("999-character subject", r -> r.setSubject("s".repeat(999)), "subject", "subject_too_long"),
                bad("missing subject", r -> r.setSubject(null), "subject", "required"),
                bad("blank subject", r -> r.setSubject("  "), "subject", "required"),
                bad("NUL in subject", r -> r.setSubject("a\u0000b"), "subject", "invalid_character"),
                bad("line separator in subject", r -> r.setSubject("a\u2028b"), "subject", "invalid_character"),
                ok("html only", r -> {
                    r.setText(null);
                    r.setHtml("<p>x</p>");
                }),
                bad("neither text nor html", r -> r.setText(""), "text", "body_required"),
                ok("id of 128 characters", r -> r.setId("i".repeat(128))),
                bad("id of 129 characters", r -> r.setId("i".repeat(129)), "id", "id_too_long"),
                bad("id with a space", r -> r.setId("a b"), "id", "invalid_id"),
                bad("id with an angle bracket", r -> r.setId("a>b"), "id", "invalid_id"),
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
                        a -> a.setDisposition("form-data")))), "attachments[0].disposition", "invalid_disposition"),
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
                ok("header line of 998 characters", r -> r.setHeaders(headers("X-A", "v".repeat(993)))),
                bad("header line of 999 characters", r -> r.setHeaders(headers("X-A", "v".repeat(994))),
                        "headers.X-A", "header_too_long"));
    }

    static Attachment with(Attachment a, Consumer<Attachment> change) {
        change.accept(a);
        return a;
    }

    static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleAnswersWithItsOwnCode(String rule, Consumer<SendRequest> change, String field, String code) {
        SendRequest r = valid();
        change.accept(r);

        List<ValidationError> errors = new SendRequestValidator().validate(r);

        if (code == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).extracting(ValidationError::field, ValidationError::code)
                    .containsExactly(tuple(field, code));
        }
    }

    @Test
    void nonAsciiLocalPartIsAcceptedWhenSmtpUtf8IsOn() {
        SendRequestValidator v = new SendRequestValidator();
        v.setSmtpUtf8(true);
        SendRequest r = valid();
        r.setTo(List.of("jörg@bücher.example"));

        assertThat(v.normalise(r).getTo()).containsExactly("jörg@xn--bcher-kva.example");
    }

    @Test
    void defaultFromFillsAMissingSender() {
        SendRequestValidator v = new SendRequestValidator();
        v.setDefaultFrom("Mailbus <noreply@example.com>");
        SendRequest r = valid();
        r.setFrom(null);

        assertThat(v.normalise(r).getFrom()).isEqualTo("Mailbus <noreply@example.com>");
    }

    @Test
    void limitsAreConfigurable() {
        SendRequestValidator v = new SendRequestValidator();
        v.setMaxRecipients(2);
        v.setMaxSubjectLength(5);
        v.setMaxBodyBytes(4);
        v.setMaxAttachmentBytes(3);
        v.setMaxTotalAttachmentBytes(5);
        SendRequest r = valid();
        r.setTo(recipients(3));
        r.setSubject("123456");
        r.setText("ééé");
        r.setHtml("1234");
        r.setAttachments(List.of(attachment("AAAA"), attachment("AAAA"), attachment("AAAAAA==")));

        assertThat(v.validate(r)).extracting(ValidationError::field, ValidationError::code).containsExactly(
                tuple("to", "too_many_recipients"),
                tuple("subject", "subject_too_long"),
                tuple("text", "body_too_large"),
                tuple("attachments[2].data", "attachment_too_large"),
                tuple("attachments", "attachments_too_large"));
    }

    @Test
    void serverMustBeOneOfTheConfiguredNamesWhenTheyAreGiven() {
        SendRequestValidator v = new SendRequestValidator();
        SendRequest r = valid();
        r.setServer("bulk");
        assertThat(v.validate(r)).isEmpty();

        v.setServers(Set.of("default", "transactional"));
        assertThat(v.validate(r)).extracting(ValidationError::code).containsExactly("unknown_server");
    }

    @Test
    void recipientsAreDeduplicatedAcrossListsKeepingTheFirst() {
        SendRequest r = valid();
        r.setTo(List.of("Ann <ann@example.com>", "ANN@example.com"));
        r.setCc(List.of("ann@EXAMPLE.com", "bob@example.com"));
        r.setBcc(List.of("Bob@example.com", "carl@example.com"));

        SendRequest n = new SendRequestValidator().normalise(r);

        assertThat(n.getTo()).containsExactly("Ann <ann@example.com>");
        assertThat(n.getCc()).containsExactly("bob@example.com");
        assertThat(n.getBcc()).containsExactly("carl@example.com");
    }
}
