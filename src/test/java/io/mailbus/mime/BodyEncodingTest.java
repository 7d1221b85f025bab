package io.mailbus.mime;

import org.eclipse.angus.mail.util.QPEncoderStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The direct scan of BodyEncoding agrees with actually quoted-printable encoding the text and looking. */
class BodyEncodingTest {

    private static final String[] PIECES = {
            ".", ".", " ", "\r", "\n", "\r\n", "=", "\t", "a", "bc", "é", "€", "\uD83D\uDE00", "\uD83D", "\uDE00",
            "\u0000", "\u007f", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};

    @Test
    void agreesWithTheQuotedPrintableEncoderOnRandomText() throws IOException {
        agreesOnRandomText(PIECES, 60, 42);
    }

    /** Text the short-plain-lines shortcut judges (printable ASCII, CRLF) and lines just around its limit. */
    @Test
    void agreesWithTheEncoderOnPlainTextOfShortAndLongLines() throws IOException {
        agreesOnRandomText(new String[] {".", ".", " ", "a", "bc", "\r\n", "\r\n", "x".repeat(30), "y".repeat(71),
                                         "z".repeat(72)}, 12, 7);
    }

    private static void agreesOnRandomText(String[] pieces, int maxPieces, long seed) throws IOException {
        Random random = new Random(seed);
        int withDots = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(maxPieces);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            boolean expected = encodedHasDotLine(text);
            withDots += expected ? 1 : 0;
            assertThat(BodyEncoding.quotedPrintableHasDotLine(text)).as("%s", text.replace("\r", "\\r")
                    .replace("\n", "\\n")).isEqualTo(expected);
        }
        assertThat(withDots).isGreaterThan(1000);
    }

    @Test
    void dotsAtSoftLineBreaks() throws IOException {
        for (int col = 60; col < 90; col++) {
            for (String filler : new String[] {"a", "=", "é", " a"}) {
                String text = filler.repeat(col) + ".x";
                assertThat(BodyEncoding.quotedPrintableHasDotLine(text)).as(filler + " x " + col)
                        .isEqualTo(encodedHasDotLine(text));
            }
        }
        assertThat(BodyEncoding.choose("a\n.\nb")).isEqualTo(BodyEncoding.BASE64);
        assertThat(BodyEncoding.choose("a.\nb")).isEqualTo(BodyEncoding.QUOTED_PRINTABLE);
    }

    /** The reference: encode with Angus's QPEncoderStream and look at the octets. */
    private static boolean encodedHasDotLine(String text) throws IOException {
        boolean[] found = {false};
        OutputStream detector = new OutputStream() {
            private boolean atLineStart = true;

            @Override
            public void write(int b) {
                if (atLineStart && b == '.') {
                    found[0] = true;
                }
                atLineStart = b == '\n';
            }
        };
        try (Writer w = new OutputStreamWriter(new QPEncoderStream(detector), StandardCharsets.UTF_8)) {
            w.write(text);
        }
        return found[0];
    }
}
