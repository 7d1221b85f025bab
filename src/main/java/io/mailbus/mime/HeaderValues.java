package io.mailbus.mime;

import jakarta.mail.internet.MimeUtility;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Renders an unstructured header value (subject, custom headers) as RFC 2047 text folded to lines of at most
 * 998 octets. Angus folds only at whitespace and leaves ASCII alone, so a 998-character subject without spaces
 * would make a 1007-octet line; such a value is sent as encoded-words instead, which may be folded anywhere.
 */
final class HeaderValues {

    private static final int MAX_LINE = 998;
    private static final int CHUNK_BYTES = 45;

    private HeaderValues() {
    }

    static String encode(String name, String value) {
        String folded;
        try {
            folded = MimeUtility.fold(name.length() + 2, MimeUtility.encodeText(value, "UTF-8", null));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        return longestLine(name.length() + 2, folded) <= MAX_LINE ? folded : encodedWords(value);
    }

    private static int longestLine(int used, String folded) {
        int longest = 0;
        int start = 0;
        int first = used;
        int nl;
        while ((nl = folded.indexOf("\r\n", start)) >= 0) {
            longest = Math.max(longest, first + nl - start);
            start = nl + 2;
            first = 0;
        }
        return Math.max(longest, first + folded.length() - start);
    }

    /** Base64 encoded-words of at most 45 UTF-8 bytes each (75 characters), split between code points. */
    private static String encodedWords(String value) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int end = i;
            int bytes = 0;
            while (end < value.length()) {
                int cp = value.codePointAt(end);
                int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + n > CHUNK_BYTES) {
                    break;
                }
                bytes += n;
                end += Character.charCount(cp);
            }
            if (out.length() > 0) {
                out.append("\r\n ");
            }
            out.append("=?UTF-8?B?")
                    .append(Base64.getEncoder().encodeToString(value.substring(i, end).getBytes(StandardCharsets.UTF_8)))
                    .append("?=");
            i = end;
        }
        return out.toString();
    }
}
