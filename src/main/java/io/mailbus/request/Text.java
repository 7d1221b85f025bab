package io.mailbus.request;

/** Low-level questions the rules ask of a string, answered without copying it (bodies may be 100 MB). */
final class Text {

    private Text() {
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code s} safe to log: C0 and C1 controls, DEL, U+2028/U+2029, format characters (BOM, zero-width, bidi
     * overrides) and lone surrogates escaped as {@code \r},
     * {@code \n}, {@code \t} or {@code \}{@code uXXXX}, cut to {@code max} characters (then ending in an
     * ellipsis); {@code s} itself when nothing needs escaping. Null stays null.
     */
    static String printable(String s, int max) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && i < max && !unsafe(s, i)) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 16).append(s, 0, i);
        for (; i < s.length() && sb.length() < max; i++) {
            char ch = s.charAt(i);
            if (!unsafe(s, i)) {
                sb.append(ch);
            } else if (ch == '\r') {
                sb.append("\\r");
            } else if (ch == '\n') {
                sb.append("\\n");
            } else if (ch == '\t') {
                sb.append("\\t");
            } else {
                sb.append(String.format("\\u%04x", (int) ch));
            }
        }
        return i < s.length() ? sb.append('…').toString() : sb.toString();
    }

    private static boolean unsafe(String s, int i) {
        char ch = s.charAt(i);
        if (ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch == 0x2028 || ch == 0x2029) {
            return true;
        }
        if (Character.getType(ch) == Character.FORMAT) {
            // invisible in a log line: a BOM, zero-width characters, bidi overrides that reorder what follows
            return true;
        }
        if (Character.isHighSurrogate(ch)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(ch) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    /** UTF-8 length without encoding, so a 100 MB body is measured without a copy. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n += 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
