package io.mailbus.request;

/**
 * Checks base64 text and measures its decoded size without decoding it, so a 25 MB attachment is judged
 * without a second 25 MB array in the heap.
 */
final class Base64Scan {

    /** Decoded length in bytes, or -1 when the text is not base64 (standard alphabet, line breaks tolerated). */
    static long decodedLength(String data) {
        long chars = 0;
        int padding = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                continue;
            }
            if (c == '=') {
                padding++;
                if (padding > 2) {
                    return -1;
                }
            } else if (padding > 0 || !isAlphabet(c)) {
                return -1;
            }
            chars++;
        }
        if (chars % 4 != 0) {
            return -1;
        }
        return chars / 4 * 3 - padding;
    }

    private static boolean isAlphabet(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private Base64Scan() {
    }
}
