package io.mailbus.it;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;

import static org.awaitility.Awaitility.await;

/** What GreenMail received, found by subject (each test uses unique subjects, so tests share the server). */
final class Mailboxes {

    private Mailboxes() {
    }

    /** Every copy received with this subject (one per envelope recipient), waiting up to 30 s for the first. */
    static List<MimeMessage> awaitSubject(GreenMail greenMail, String subject, int copies) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> withSubject(greenMail, subject), l -> l.size() >= copies);
    }

    static List<MimeMessage> withSubject(GreenMail greenMail, String subject) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }
}
