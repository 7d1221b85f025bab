package io.mailbus.mime;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

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

    /**
     * The end first (the padding and any blanks after it), then one pass without data-dependent branches over the
     * rest, which may hold only the alphabet and, rarely, blanks (counted in a second pass only then).
     */
    private static int form(String data) {
        int n = data.length();
        int end = n;
        int pads = 0;
        boolean blanks = false;
        for (; end > 0; end--) {
            char c = data.charAt(end - 1);
            if (c == '=') {
                pads++;
            } else if (isBlank(c)) {
                if (pads > 0) {
                    return NOT_CANONICAL; // a blank inside the padding: left to the decoder
                }
                blanks = true;
            } else {
                break;
            }
        }
        int kinds = 0;
        for (int from = 0; from < end; from += SCAN_CHUNK) {
            // a chunk as Latin-1 octets (a bulk copy; beyond Latin-1 becomes '?', invalid) scans far faster than charAt
            byte[] chunk = data.substring(from, Math.min(end, from + SCAN_CHUNK)).getBytes(StandardCharsets.ISO_8859_1);
            for (byte b : chunk) {
                kinds |= KIND[b & 0x7f] | (b >>> 31) << 2; // beyond ASCII (negative): K_INVALID
            }
        }
        if ((kinds & (K_INVALID | K_PAD)) != 0 || pads > 2) {
            return NOT_CANONICAL; // a stray character, padding inside the text, or too much of it
        }
        int chars = end + pads;
        if ((kinds & K_BLANK) != 0) {
            blanks = true;
            for (int i = 0; i < end; i++) {
                chars -= isBlank(data.charAt(i)) ? 1 : 0;
            }
        }
        int unusedBits = pads == 2 ? 0xf : pads == 1 ? 0x3 : 0;
        if (chars % 4 != 0 || (end > 0 && (CLASS[data.charAt(end - 1)] & unusedBits) != 0)) {
            return NOT_CANONICAL;
        }
        return blanks ? WITH_BLANKS : BLANK_FREE;
    }

    private static final int SCAN_CHUNK = 8 * 1024;
    private static final int K_BLANK = 1;
    private static final int K_PAD = 2;
    private static final int K_INVALID = 4;
    /** Per ASCII character: 0 for the alphabet, else K_BLANK, K_PAD or K_INVALID. */
    private static final byte[] KIND = new byte[128];

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
        for (int c = 0; c < 128; c++) {
            KIND[c] = (byte) (CLASS[c] >= 0 ? 0 : CLASS[c] == PAD ? K_PAD : CLASS[c] == BLANK ? K_BLANK : K_INVALID);
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
