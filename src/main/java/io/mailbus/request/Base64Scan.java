package io.mailbus.request;

/**
 * Checks base64 text and measures its decoded size without decoding it, so a 25 MB attachment is judged
 * without a second 25 MB array in the heap.
 */
final class Base64Scan {

    /** Per ASCII char: a base64 alphabet char, the padding char, tolerated white space, or anything else. */
    private static final byte OTHER = 0, ALPHABET = 1, PAD = 2, SPACE = 3;
    private static final byte[] CLASS = new byte[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            CLASS[c] = ALPHABET;
            CLASS[c + ('a' - 'A')] = ALPHABET;
        }
        for (char c = '0'; c <= '9'; c++) {
            CLASS[c] = ALPHABET;
        }
        CLASS['+'] = ALPHABET;
        CLASS['/'] = ALPHABET;
        CLASS['='] = PAD;
        CLASS['\r'] = SPACE;
        CLASS['\n'] = SPACE;
        CLASS[' '] = SPACE;
        CLASS['\t'] = SPACE;
    }

    /**
     * Decoded length in bytes, or -1 when the text is not base64 (standard alphabet, line breaks tolerated). One
     * table lookup per char: attachments are most of a request's bytes, and this runs on every one of them.
     */
    static long decodedLength(String data) {
        long chars = 0;
        int padding = 0;
        int length = data.length();
        for (int i = 0; i < length; i++) {
            char c = data.charAt(i);
            byte kind = c < 128 ? CLASS[c] : OTHER;
            if (kind == ALPHABET && padding == 0) {
                chars++;
            } else if (kind == SPACE) {
                continue;
            } else if (kind == PAD && padding < 2) {
                padding++;
                chars++;
            } else {
                return -1;
            }
        }
        if (chars % 4 != 0) {
            return -1;
        }
        return chars / 4 * 3 - padding;
    }

    private Base64Scan() {
    }
}
