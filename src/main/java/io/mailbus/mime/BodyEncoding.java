package io.mailbus.mime;

/**
 * Chooses the transfer encoding of a text body. Quoted-printable keeps text readable and turns every bare CR
 * or LF into CRLF, which alone defeats {@code <LF>.<LF>} and {@code <CR>.<CR>} smuggling; base64 is taken
 * when the quoted-printable form would still have a line starting with a dot, so that the bytes are harmless
 * even to an SMTP client that forgot dot-stuffing.
 *
 * <p>The choice is one pass over the characters that follows Angus's {@code QPEncoderStream} (75 octets per
 * line before a soft break, {@code =XX} for CTLs, {@code =}, 8-bit octets and a space before a line break, a
 * hard CRLF for each CR, LF or CRLF) over the UTF-8 octets of the text, without encoding or copying anything:
 * the text is encoded once, when the message is written.
 */
final class BodyEncoding {

    static final String QUOTED_PRINTABLE = "quoted-printable";
    static final String BASE64 = "base64";

    /** Angus's QPEncoderStream default: 76 characters per line including the soft-break '='. */
    private static final int BYTES_PER_LINE = 75;

    private BodyEncoding() {
    }

    static String choose(String text) {
        return quotedPrintableHasDotLine(text) ? BASE64 : QUOTED_PRINTABLE;
    }

    /** Whether the quoted-printable form of {@code text}'s UTF-8 octets has a line that starts with a dot. */
    static boolean quotedPrintableHasDotLine(String text) {
        int simple = shortPlainLines(text);
        return simple >= 0 ? simple == 1 : scan(text);
    }

    /** The longest line of plain text that can never need a soft break: 75 octets, less 2 for a final "=20". */
    private static final int SHORT_LINE = BYTES_PER_LINE - 2;

    /**
     * The common case in a few comparisons per character: text of printable ASCII other than '=', lines of at most
     * {@value #SHORT_LINE} characters ended by CRLF. Each character is one octet of the encoded line (a space before a
     * line end three), so no line is soft-broken and the encoded lines start as the text's do: 1 when one starts with a
     * dot, 0 when none does; -1 for any other text, which {@link #scan} judges.
     */
    private static int shortPlainLines(String text) {
        int n = text.length();
        int lineStart = 0;
        boolean dot = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '=') {
                continue;
            }
            if (c != '\r' || i + 1 >= n || text.charAt(i + 1) != '\n' || i - lineStart > SHORT_LINE) {
                return -1;
            }
            dot |= i > lineStart && text.charAt(lineStart) == '.';
            i++;
            lineStart = i + 1;
        }
        if (n - lineStart > SHORT_LINE) {
            return -1;
        }
        dot |= n > lineStart && text.charAt(lineStart) == '.';
        return dot ? 1 : 0;
    }

    /** The character-by-character walk of Angus's encoder, for any text. */
    private static boolean scan(String text) {
        int count = 0;          // octets on the current output line
        boolean gotSpace = false;
        boolean gotCR = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            int encodedOctets;  // octets of this char that QP writes as =XX (all of them for non-ASCII)
            if (ch < 0x80) {
                encodedOctets = 0;
            } else if (ch < 0x800) {
                encodedOctets = 2;
            } else if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                encodedOctets = 4;
                i++;
            } else if (Character.isSurrogate(ch)) {
                ch = '?';       // a lone surrogate: the UTF-8 encoder writes its replacement, '?'
                encodedOctets = 0;
            } else {
                encodedOctets = 3;
            }
            if (gotSpace) {     // the pending space: encoded before a line break, literal otherwise
                boolean lineBreak = encodedOctets == 0 && (ch == '\r' || ch == '\n');
                count = advance(count, lineBreak ? 3 : 1);
                gotSpace = false;
            }
            if (encodedOctets > 0) {
                for (int k = 0; k < encodedOctets; k++) {
                    count = advance(count, 3);
                }
                gotCR = false;
            } else if (ch == '\r') {
                gotCR = true;
                count = 0;
            } else {
                if (ch == '\n') {
                    if (!gotCR) {
                        count = 0;
                    }
                } else if (ch == ' ') {
                    gotSpace = true;
                } else if (ch < 0x20 || ch == 0x7f || ch == '=') {
                    count = advance(count, 3);
                } else {
                    count = advance(count, 1);
                    if (count == 1 && ch == '.') {
                        return true;
                    }
                }
                gotCR = false;
            }
        }
        return false;
    }

    /** The line length after writing {@code width} octets, a soft line break first when they would not fit. */
    private static int advance(int count, int width) {
        return count + width > BYTES_PER_LINE ? width : count + width;
    }
}
