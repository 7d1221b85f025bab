package io.mailbus.request;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code sendAt}: an ISO-8601 date and time with an offset ({@code Z} or {@code +01:00}); a local time without one is
 * refused, because the broker would have to guess the zone. A time already past means now (a client's clock may be a
 * little behind ours), and is dropped from the normalised request so that nothing downstream holds it; a time beyond
 * the horizon is refused, so nothing waits in the broker for years.
 */
final class ScheduleRule implements Rule {

    private final Clock clock;
    private final Duration maxHorizon;

    ScheduleRule(Clock clock, Duration maxHorizon) {
        this.clock = clock;
        this.maxHorizon = maxHorizon;
    }

    @Override
    public void check(SendRequest in, SendRequest out, List<ValidationError> errors) {
        String sendAt = in.getSendAt();
        if (Text.blank(sendAt)) {
            return;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(sendAt.trim()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new ValidationError("sendAt", ErrorCode.INVALID_SEND_AT,
                    "must be an ISO-8601 date and time with an offset, e.g. 2026-12-24T09:00:00+01:00"));
            return;
        }
        Instant now = clock.instant();
        if (at.isAfter(now.plus(maxHorizon))) {
            errors.add(new ValidationError("sendAt", ErrorCode.SEND_AT_TOO_FAR,
                    "at most " + maxHorizon.toDays() + " days ahead (mailbus.schedule.max-horizon)"));
        } else if (at.isAfter(now)) {
            out.setSendAt(at.toString());
        }
    }
}
