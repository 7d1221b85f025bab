package io.mailbus.mime;

import jakarta.mail.internet.MailDateFormat;

import java.time.Instant;
import java.util.Date;

/**
 * The Date header's value as {@code MimeMessage.setSentDate} writes it (Angus's {@link MailDateFormat}, to the
 * second), formatted once per second rather than per message: {@code setSentDate} formats with a
 * {@code SimpleDateFormat} under one lock shared by every thread of the JVM.
 */
final class DateHeader {

    private record Formatted(long epochSecond, String value) {
    }

    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, null);

    private DateHeader() {
    }

    static String of(Instant instant) {
        long second = instant.getEpochSecond();
        Formatted f = last;
        if (f.epochSecond() != second) {
            f = new Formatted(second, new MailDateFormat().format(Date.from(Instant.ofEpochSecond(second))));
            last = f;
        }
        return f.value();
    }
}
