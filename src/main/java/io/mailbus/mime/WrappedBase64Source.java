package io.mailbus.mime;

import java.io.InputStream;

/**
 * An attachment's base64 body written from the request's own base64 text, re-wrapped but never decoded and encoded
 * again. Decoding the request's base64 only for Angus's encoder to turn it back into base64 was most of the CPU of a
 * message with a 20 KB attachment. The bytes are the ones Angus writes for the decoded data (its
 * {@code BASE64EncoderStream}, flushed at the end of the part as {@code MimeBodyPart.writeTo} does): lines of 76
 * characters, each full line ended by CRLF, the last partial line without one. That holds only for base64 in
 * canonical form, which {@link #isCanonical} checks; anything else (missing padding, non-zero bits after the last
 * full byte, stray characters) goes the decoding way, whose output is canonical by construction.
 */
final class WrappedBase64Source extends ReadOnlyDataSource {

    /** Angus's (and RFC 2045's) line length for base64 bodies. */
    static final int LINE = 76;

    private final String base64;
    private final boolean blankFree;

    private WrappedBase64Source(String base64, String contentType, String name, boolean blankFree) {
        super(contentType, name);
        this.base64 = base64;
        this.blankFree = blankFree;
    }

    /** The source of {@code base64}'s characters as a base64 body, or null when they are not canonical base64. */
    static WrappedBase64Source of(String base64, String contentType, String name) {
        int form = form(base64);
        return form == NOT_CANONICAL ? null : new WrappedBase64Source(base64, contentType, name, form == BLANK_FREE);
    }

    /** Every character of {@code s[from, to)} is ASCII: written as its low byte, in one bulk copy. */
    @SuppressWarnings("deprecation") // the one String-to-bytes copy of a range without an intermediate array
    private static void copyAscii(String s, int from, int to, byte[] dst, int at) {
        s.getBytes(from, to, dst, at);
    }

    /**
     * Whether {@code data}, line breaks and blanks aside, is base64 exactly as an encoder writes it: the standard
     * alphabet, a length that is a multiple of 4, padding only at the end, and zero bits after the last byte.
     */
    static boolean isCanonical(String data) {
        return form(data) != NOT_CANONICAL;
    }

    private static final int NOT_CANONICAL = 0;
    private static final int BLANK_FREE = 1;
    private static final int WITH_BLANKS = 2;

    private static int form(String data) {
        boolean blanks = false;
        int chars = 0;
        int padding = 0;
        int last = 0;
        for (int i = 0, n = data.length(); i < n; i++) {
            char c = data.charAt(i);
            int v = c < 128 ? CLASS[c] : INVALID;
            if (v >= 0) {
                if (padding > 0) {
                    return NOT_CANONICAL;
                }
                last = v;
                chars++;
            } else if (v == PAD) {
                padding++;
                chars++;
            } else if (v == BLANK) {
                blanks = true;
            } else {
                return NOT_CANONICAL;
            }
        }
        int unusedBits = padding == 2 ? 0xf : padding == 1 ? 0x3 : 0;
        if (chars % 4 != 0 || padding > 2 || (last & unusedBits) != 0) {
            return NOT_CANONICAL;
        }
        return blanks ? WITH_BLANKS : BLANK_FREE;
    }

    private static final byte INVALID = -1;
    private static final byte PAD = -2;
    private static final byte BLANK = -3;
    /** Per ASCII character: its 6-bit value, or PAD, BLANK (skipped, as the validator does) or INVALID. */
    private static final byte[] CLASS = new byte[128];

    static {
        java.util.Arrays.fill(CLASS, INVALID);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            CLASS[alphabet.charAt(i)] = (byte) i;
        }
        CLASS['='] = PAD;
        for (char c : new char[] {'\r', '\n', ' ', '\t'}) {
            CLASS[c] = BLANK;
        }
    }

    private static boolean isBlank(char c) {
        return c < 128 && CLASS[c] == BLANK;
    }

    @Override
    public InputStream getInputStream() {
        return new Lines(base64, blankFree);
    }

    /** The characters of the text, blanks dropped, as ASCII lines of {@value #LINE}; nothing is copied ahead. */
    private static final class Lines extends InputStream {
        private final String s;
        private final boolean blankFree;
        private int pos;
        private int column;
        /** Bytes of a line break still to write: 2 (CR, LF), 1 (LF) or 0. */
        private int pendingBreak;

        Lines(String s, boolean blankFree) {
            this.s = s;
            this.blankFree = blankFree;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            int length = s.length();
            while (n < len) {
                if (pendingBreak > 0) {
                    b[off + n++] = (byte) (pendingBreak == 2 ? '\r' : '\n');
                    pendingBreak--;
                    continue;
                }
                int run = Math.min(LINE - column, len - n);
                int copied;
                if (blankFree) {
                    copied = Math.min(run, length - pos);
                    copyAscii(s, pos, pos + copied, b, off + n);
                    pos += copied;
                } else {
                    copied = 0;
                    while (copied < run && pos < length) {
                        char c = s.charAt(pos++);
                        if (!isBlank(c)) {
                            b[off + n + copied++] = (byte) c;
                        }
                    }
                }
                n += copied;
                column += copied;
                if (column == LINE) {
                    column = 0;
                    pendingBreak = 2;
                }
                if (pos >= length && pendingBreak == 0) {
                    break;
                }
            }
            return n == 0 && len > 0 ? -1 : n;
        }
    }
}
