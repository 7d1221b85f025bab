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
