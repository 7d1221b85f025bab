package io.mailbus.fuzz;

import io.mailbus.request.ErrorCode;
import io.mailbus.request.Mailbox;
import io.mailbus.request.SendRequest;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks the fuzz tests make of a rendered message, read from its bytes: every top-level header one the builder
 * writes or one of the request's custom headers (none twice, no Bcc, no trust header), To and Cc the request's own.
 */
public final class RenderedMail {

    /** Every code the README documents. */
    public static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::code)
            .collect(Collectors.toSet());
    /** The top-level headers the MIME builder writes (no DKIM-Signature: the fuzz tests do not sign). */
    private static final Set<String> BUILDER_HEADERS = Set.of("date", "from", "to", "cc", "reply-to", "message-id",
            "subject", "mime-version", "content-type", "content-transfer-encoding");

    private RenderedMail() {
    }

    /**
     * Asserts that {@code bytes} is the rendering of {@code r} with nothing injected; answers the envelope the
     * request's recipients make (to, cc, bcc addresses in lower case, in order).
     */
    public static List<String> assertRendersOnly(byte[] bytes, SendRequest r) throws Exception {
        Set<String> custom = r.getHeaders().keySet().stream().map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<String> names = headerNames(bytes);
        assertThat(names).allSatisfy(n -> assertThat(BUILDER_HEADERS.contains(n) || custom.contains(n))
                .as("header %s", n).isTrue());
        assertThat(names).noneMatch(n -> n.equals("bcc") || n.startsWith("x-spam") || n.startsWith("x-ms-exchange-")
                || n.equals("authentication-results"));
        assertThat(names.stream().filter(BUILDER_HEADERS::contains)).doesNotHaveDuplicates();
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        assertThat(addresses(m.getRecipients(Message.RecipientType.TO))).isEqualTo(addresses(r.getTo()));
        assertThat(addresses(m.getRecipients(Message.RecipientType.CC))).isEqualTo(addresses(r.getCc()));
        List<String> envelope = new ArrayList<>(addresses(r.getTo()));
        envelope.addAll(addresses(r.getCc()));
        envelope.addAll(addresses(r.getBcc()));
        return envelope;
    }

    /** The top-level header names in lower case, read by hand (continuation lines skipped). */
    private static List<String> headerNames(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<String> names = new ArrayList<>();
        for (String line : text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n")) {
            if (!line.startsWith(" ") && !line.startsWith("\t")) {
                assertThat(line).as("a header line").contains(":");
                names.add(line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static List<String> addresses(Address[] parsed) {
        List<String> out = new ArrayList<>();
        if (parsed != null) {
            for (Address a : parsed) {
                out.add(((InternetAddress) a).getAddress().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static List<String> addresses(List<String> mailboxes) {
        return mailboxes.stream().map(s -> Mailbox.parse(s).address().toLowerCase(Locale.ROOT)).toList();
    }
}
