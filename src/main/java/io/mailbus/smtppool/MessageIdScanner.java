package io.mailbus.smtppool;

import java.nio.charset.StandardCharsets;

/**
 * Reads the Message-ID out of the header block of raw message bytes, so the result can name the message without
 * parsing it as MIME. Header lines may be folded (RFC 5322 2.2.3).
 */
final class MessageIdScanner {

    private static final byte[] NAME = "message-id:".getBytes(StandardCharsets.US_ASCII);

    private MessageIdScanner() {
    }

    static String find(byte[] buf, int len) {
        int lineStart = 0;
        while (lineStart < len) {
            int eol = endOfLine(buf, lineStart, len);
            if (eol == lineStart || (eol == lineStart + 1 && buf[lineStart] == '\r')) {
                return null; // blank line: end of the header block
            }
            if (startsWithName(buf, lineStart, len)) {
                return value(buf, lineStart + NAME.length, len);
            }
            lineStart = eol + 1;
        }
        return null;
    }

    private static String value(byte[] buf, int from, int len) {
        StringBuilder sb = new StringBuilder();
        int i = from;
        while (i < len) {
            byte b = buf[i];
            if (b == '\n') {
                if (i + 1 < len && (buf[i + 1] == ' ' || buf[i + 1] == '\t')) {
                    i++;
                    continue; // folded line
                }
                break;
            }
            if (b != '\r') {
                sb.append((char) (b & 0xff));
            }
            i++;
        }
        String v = sb.toString().trim();
        return v.isEmpty() ? null : v;
    }

    private static boolean startsWithName(byte[] buf, int at, int len) {
        if (at + NAME.length > len) {
            return false;
        }
        for (int k = 0; k < NAME.length; k++) {
            if (Character.toLowerCase((char) buf[at + k]) != NAME[k]) {
                return false;
            }
        }
        return true;
    }

    private static int endOfLine(byte[] buf, int from, int len) {
        for (int i = from; i < len; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return len;
    }
}
