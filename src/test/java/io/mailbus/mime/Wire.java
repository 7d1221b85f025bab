package io.mailbus.mime;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** A minimal, independent reading of the bytes on the wire: lines, header names, and the MIME tree. */
final class Wire {

    private Wire() {
    }

    /** Every line ends CRLF, none is longer than 998 octets, none starts with a dot (SMTP smuggling). */
    static void assertSafeLines(byte[] bytes) {
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\r') {
                if (i + 1 >= bytes.length || bytes[i + 1] != '\n') {
                    fail("bare CR at offset " + i);
                }
            } else if (b == '\n') {
                if (i == 0 || bytes[i - 1] != '\r') {
                    fail("bare LF at offset " + i);
                }
                assertThat(i - 1 - lineStart).as("line length at offset %d", lineStart).isLessThanOrEqualTo(998);
                lineStart = i + 1;
            } else if (i == lineStart && b == '.') {
                fail("line starting with a dot at offset " + i);
            }
        }
        assertThat(bytes.length - lineStart).isLessThanOrEqualTo(998);
    }

    /** The names of the top-level header fields, in order, read by hand (continuation lines unfolded). */
    static List<String> headerNames(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        List<String> names = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            if (line.startsWith(" ") || line.startsWith("\t")) {
                continue;
            }
            int colon = line.indexOf(':');
            assertThat(colon).as("header line without colon: %s", line).isPositive();
            names.add(line.substring(0, colon));
        }
        return names;
    }

    static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    /** The content types as a tree, e.g. {@code multipart/mixed[text/plain,application/pdf]}. */
    static String tree(Part part) throws Exception {
        String type = new ContentType(part.getContentType()).getBaseType().toLowerCase();
        if (!(part.getContent() instanceof Multipart mp)) {
            return type;
        }
        List<String> children = new ArrayList<>();
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart child = mp.getBodyPart(i);
            children.add(tree(child));
        }
        return type + "[" + String.join(",", children) + "]";
    }
}
