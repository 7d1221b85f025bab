package io.mailbus.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.mailbus.request.Requests.bad;
import static io.mailbus.request.Requests.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Pins the subject rules at 998/999 characters (code points) and the text/html body rules and limit. */
class ContentRulesTest {

    private static final ContentRules RULES = new ContentRules(998, 100L * 1024 * 1024);

    static Stream<Arguments> rules() {
        return Stream.of(
                ok("minimal request", r -> { }),
                ok("998-character subject", r -> r.setSubject("s".repeat(998))),
                ok("998 astral characters in the subject", r -> r.setSubject("😀".repeat(998))),
                bad("999-character subject", r -> r.setSubject("s".repeat(999)), "subject", "subject_too_long"),
                bad("missing subject", r -> r.setSubject(null), "subject", "required"),
                bad("blank subject", r -> r.setSubject("  "), "subject", "required"),
                bad("line break in subject", r -> r.setSubject("a\r\nBcc: b@example.com"), "subject",
                        "header_injection"),
                bad("NUL in subject", r -> r.setSubject("a\u0000b"), "subject", "invalid_character"),
                bad("line separator in subject", r -> r.setSubject("a\u2028b"), "subject", "invalid_character"),
                ok("html only", r -> {
                    r.setText(null);
                    r.setHtml("<p>x</p>");
                }),
                bad("neither text nor html", r -> r.setText(""), "text", "body_required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleAnswersWithItsOwnCode(String rule, Consumer<SendRequest> change, String field, String code) {
        Requests.assertOnly(Requests.errors(RULES, change), field, code);
    }

    @Test
    void limitsAreTheOnesGivenAndTextIsMeasuredInUtf8Bytes() {
        SendRequest r = Requests.valid();
        r.setSubject("123456");
        r.setText("ééé");
        r.setHtml("1234");
        List<ValidationError> errors = new ArrayList<>();

        new ContentRules(5, 4).check(r, new SendRequest(), errors);

        assertThat(errors).extracting(ValidationError::field, ValidationError::code).containsExactly(
                tuple("subject", "subject_too_long"),
                tuple("text", "text_too_large"));
    }

    @Test
    void theTextLimitHoldsAtTheByteForThreeAndFourByteCharacters() {
        assertThat(textErrors("€€€", 9)).isEmpty();
        assertThat(textErrors("€€€a", 9)).containsExactly("text_too_large");
        assertThat(textErrors("😀😀", 8)).isEmpty();
        assertThat(textErrors("😀😀", 7)).containsExactly("text_too_large");
        assertThat(textErrors("abc", 3)).isEmpty();
        assertThat(textErrors("abcd", 3)).containsExactly("text_too_large");
    }

    private static List<String> textErrors(String text, long maxBytes) {
        SendRequest r = Requests.valid();
        r.setText(text);
        List<ValidationError> errors = new ArrayList<>();
        new ContentRules(998, maxBytes).check(r, new SendRequest(), errors);
        return errors.stream().map(ValidationError::code).toList();
    }

    @Test
    void theSubjectIsStrippedAndAnEmptyBodyIsAbsent() {
        SendRequest r = Requests.valid();
        r.setSubject("  Hi  ");
        r.setHtml("");
        SendRequest out = new SendRequest();

        RULES.check(r, out, new ArrayList<>());

        assertThat(out.getSubject()).isEqualTo("Hi");
        assertThat(out.getText()).isEqualTo("body");
        assertThat(out.getHtml()).isNull();
    }
}
