package io.mailbus.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.mailbus.request.Requests.bad;
import static io.mailbus.request.Requests.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Pins the id rule at its boundaries (128/129 characters) and the dot-atom the Message-ID needs. */
class RequestIdRuleTest {

    static Stream<Arguments> rules() {
        return Stream.of(
                ok("no id", r -> { }),
                ok("id of 128 characters", r -> r.setId("i".repeat(128))),
                bad("id of 129 characters", r -> r.setId("i".repeat(129)), "id", "id_too_long"),
                bad("id with a space", r -> r.setId("a b"), "id", "invalid_id"),
                bad("id with an angle bracket", r -> r.setId("a>b"), "id", "invalid_id"),
                bad("id with a line break", r -> r.setId("a\r\nb"), "id", "invalid_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleAnswersWithItsOwnCode(String rule, Consumer<SendRequest> change, String field, String code) {
        Requests.assertOnly(Requests.errors(new RequestIdRule(), change), field, code);
    }

    @Test
    void aMissingIdIsARandomUuidAndAGivenOneIsTrimmed() {
        SendRequest generated = new SendRequest();
        SendRequest given = new SendRequest();

        new RequestIdRule().check(Requests.valid(), generated, new ArrayList<>());
        new RequestIdRule().check(Requests.changed(r -> r.setId("  order-42 ")), given, new ArrayList<>());

        assertThat(generated.getId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(given.getId()).isEqualTo("order-42");
    }
}
