package io.mailbus.request;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Pins what {@code sendAt} means: a future instant with an offset is kept, normalised to UTC; a past one means now and
 * is dropped; beyond the horizon or without an offset it is refused with a code naming the field.
 */
class ScheduleRuleTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final ScheduleRule rule = new ScheduleRule(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30));

    private SendRequest check(String sendAt, List<ValidationError> errors) {
        SendRequest in = new SendRequest();
        in.setSendAt(sendAt);
        SendRequest out = new SendRequest();
        rule.check(in, out, errors);
        return out;
    }

    @Test
    void keepsAFutureTimeInUtc() {
        List<ValidationError> errors = new ArrayList<>();
        assertThat(check("2026-12-01T12:30:00+01:00", errors).getSendAt()).isEqualTo("2026-12-01T11:30:00Z");
        assertThat(errors).isEmpty();
    }

    @Test
    void dropsAPastTime() {
        List<ValidationError> errors = new ArrayList<>();
        assertThat(check("2026-11-30T10:00:00Z", errors).getSendAt()).isNull();
        assertThat(errors).isEmpty();
    }

    @Test
    void acceptsTheHorizonAndRefusesBeyondIt() {
        List<ValidationError> errors = new ArrayList<>();
        assertThat(check("2026-12-31T10:00:00Z", errors).getSendAt()).isEqualTo("2026-12-31T10:00:00Z");
        check("2026-12-31T10:00:01Z", errors);
        assertThat(errors).extracting(ValidationError::field, ValidationError::code)
                .containsExactly(tuple("sendAt", "send_at_too_far"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomorrow", "2026-12-02T10:00:00", "2026-12-02", "1764583200", "2026-13-02T10:00:00Z"})
    void refusesWhatIsNoInstantWithAnOffset(String sendAt) {
        List<ValidationError> errors = new ArrayList<>();
        check(sendAt, errors);
        assertThat(errors).extracting(ValidationError::field, ValidationError::code)
                .containsExactly(tuple("sendAt", "invalid_send_at"));
    }
}
