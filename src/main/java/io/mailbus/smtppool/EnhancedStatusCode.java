package io.mailbus.smtppool;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the RFC 3463 status code that follows the reply code, because Angus Mail hands over only the raw text. */
final class EnhancedStatusCode {

    private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})(?=\\s|$)");

    private EnhancedStatusCode() {
    }

    static String parse(String reply) {
        if (reply == null) {
            return null;
        }
        Matcher m = ENHANCED.matcher(reply.strip());
        return m.find() ? m.group(1) : null;
    }

    /** The reply without trailing line breaks, multi-line replies joined by a space. */
    static String clean(String reply) {
        return reply == null ? null : reply.strip().replaceAll("\\s*\\r?\\n\\s*", " ");
    }
}
