package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.apache.camel.Exchange;
import org.apache.camel.converter.stream.InputStreamCache;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The body of DATA as the server receives it: a message whose line ends are canonical is written straight into the
 * socket, dot-stuffed in one pass ({@link RawMessage#writeDotStuffed}), and must arrive exactly as Angus's own DATA
 * stream would have sent it; anything else still goes through Angus's stream.
 */
class SmtpDataBodyTest extends ScriptedServerTestSupport {

    private static final List<String> ONE = List.of("rcpt@example.com");

    @Test
    void shouldDeliverDotLinesUnchangedThroughData() {
        byte[] raw = ("Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nmiddle . dot\r\n...\r\n\r\n.\r\nend\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] large = TestMessages.raw("<large@mailbus.test>", "large", TrackingSmtpTransport.INLINE_BODY_MAX + 1);

        Exchange small = send(server.uri("chunking=false"), raw, ONE);
        Exchange cached = template.send(server.uri("chunking=false"),
                TestMessages.exchange(context, new InputStreamCache(large), "sender@example.com", ONE));

        assertThat(small.getException()).isNull();
        assertThat(cached.getException()).isNull();
        assertThat(server.commands()).filteredOn("DATA"::equals).hasSize(2);
        assertThat(server.messages()).containsExactly(raw, large);
    }

    @Test
    void shouldStillMendBareLineEndsThroughAngusStream() {
        byte[] bare = "Subject: bare\n\n.dot after LF\nline\rlast".getBytes(StandardCharsets.US_ASCII);

        send(server.uri("chunking=false"), bare, ONE);

        assertThat(new String(server.messages().get(0), StandardCharsets.US_ASCII))
                .isEqualTo("Subject: bare\r\n\r\n.dot after LF\r\nline\r\nlast\r\n");
    }

    @Test
    void dotStuffingAgreesWithAngusOnCanonicalText() throws IOException {
        Random random = new Random(11);
        String[] pieces = {".", "..", "a", "b c", "\r\n", "\r\n", "=", "\u00e9"};
        for (int round = 0; round < 5_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            sb.append("\r\n");
            byte[] body = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            assertThat(ours(body)).as("%s", sb).isEqualTo(angus(body));
        }
        assertThat(RawMessage.dotLines("no final line end".getBytes(StandardCharsets.US_ASCII))).isNegative();
        assertThat(RawMessage.dotLines("bare\nLF\r\n".getBytes(StandardCharsets.US_ASCII))).isNegative();
        assertThat(RawMessage.dotLines("bare\rCR\r\n".getBytes(StandardCharsets.US_ASCII))).isNegative();
        assertThat(ours(new byte[0])).isEmpty();
    }

    private static byte[] ours(byte[] body) throws IOException {
        int dots = RawMessage.dotLines(body);
        assertThat(dots).isNotNegative();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RawMessage.writeDotStuffed(body, dots, out);
        return out.toByteArray();
    }

    /** What Angus's DATA stream writes for {@code body}. */
    private static byte[] angus(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SMTPOutputStream data = new SMTPOutputStream(out);
        data.write(body);
        data.ensureAtBOL();
        return out.toByteArray();
    }
}
