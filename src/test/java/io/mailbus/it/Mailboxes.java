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
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> subject.equals(subjectOf(m))).toList();
    }

    /** The subject of every copy received whose subject starts with {@code prefix}, duplicates included. */
    static List<String> subjectsStartingWith(GreenMail greenMail, String prefix) {
        return Arrays.stream(greenMail.getReceivedMessages()).map(Mailboxes::subjectOf)
                .filter(s -> s != null && s.startsWith(prefix)).toList();
    }

    private static String subjectOf(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return null;
        }
    }
}
