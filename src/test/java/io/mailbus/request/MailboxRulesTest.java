package io.mailbus.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.mailbus.request.Requests.address;
import static io.mailbus.request.Requests.bad;
import static io.mailbus.request.Requests.ok;
import static io.mailbus.request.Requests.recipients;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the mailbox rules at the boundaries the issue names (254/255-character addresses, 100/101 distinct
 * recipients), the canonical form kept (IDN in ASCII) and the one de-duplication of recipients.
 */
class MailboxRulesTest {

    private static final MailboxRules RULES = new MailboxRules(null, 100, false);

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
                bad("null address", r -> r.setTo(Arrays.asList((String) null)), "to[0]", "invalid_address"),
                bad("non-ASCII local part without SMTPUTF8", r -> r.setCc(List.of("jörg@example.com")),
                        "cc[0]", "non_ascii_local_part"),
                bad("display name of 257 characters", r -> r.setTo(List.of("n".repeat(257) + " <a@example.com>")),
                        "to[0]", "display_name_too_long"),
                bad("line break in a display name", r -> r.setBcc(List.of("A\nB <a@example.com>")),
                        "bcc[0]", "header_injection"),
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
                bad("no recipients", r -> r.setTo(List.of()), "to", "no_recipients"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleAnswersWithItsOwnCode(String rule, Consumer<SendRequest> change, String field, String code) {
        Requests.assertOnly(Requests.errors(RULES, change), field, code);
    }

    private static SendRequest normalised(MailboxRules rules, SendRequest r) {
        SendRequest out = new SendRequest();
        List<ValidationError> errors = new ArrayList<>();
        rules.check(r, out, errors);
        assertThat(errors).isEmpty();
        return out;
    }

    @Test
    void nonAsciiLocalPartIsAcceptedWhenSmtpUtf8IsOn() {
        SendRequest r = Requests.valid();
        r.setTo(List.of("jörg@bücher.example"));

        assertThat(normalised(new MailboxRules(null, 100, true), r).getTo())
                .containsExactly("jörg@xn--bcher-kva.example");
    }

    @Test
    void defaultFromFillsAMissingSender() {
        SendRequest r = Requests.valid();
        r.setFrom(null);

        assertThat(normalised(new MailboxRules("Mailbus <noreply@example.com>", 100, false), r).getFrom())
                .isEqualTo("Mailbus <noreply@example.com>");
    }

    @Test
    void recipientsAreDeduplicatedAcrossListsKeepingTheFirst() {
        SendRequest r = Requests.valid();
        r.setTo(List.of("Ann <ann@example.com>", "ANN@example.com"));
        r.setCc(List.of("ann@EXAMPLE.com", "bob@example.com"));
        r.setBcc(List.of("Bob@example.com", "carl@example.com"));

        SendRequest n = normalised(RULES, r);

        assertThat(n.getTo()).containsExactly("Ann <ann@example.com>");
        assertThat(n.getCc()).containsExactly("bob@example.com");
        assertThat(n.getBcc()).containsExactly("carl@example.com");
    }

    @Test
    void theRecipientLimitIsTheOneGiven() {
        List<ValidationError> errors = new ArrayList<>();
        new MailboxRules(null, 2, false).check(Requests.changed(r -> r.setTo(recipients(3))), new SendRequest(), errors);

        assertThat(errors).extracting(ValidationError::field, ValidationError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("to", "too_many_recipients"));
    }
}
