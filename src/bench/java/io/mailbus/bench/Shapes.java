package io.mailbus.bench;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import io.mailbus.mime.MimeDataFormat;
import io.mailbus.request.Attachment;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestJson;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The message shapes of the issue, built once with Mailbus's own MIME data format so every peer sends the same
 * bytes: {@code text2k} (2 KB plain text) and {@code att20k} (text + html + a 20 KB attachment).
 */
final class Shapes {

    static final String FROM = "bench@example.com";
    static final String TO = "rcpt@example.com";

    private Shapes() {
    }

    /** A shape: its name, the request it comes from and the RFC 5322 bytes Mailbus renders for it. */
    record Shape(String name, String label, SendRequest request, byte[] mime) {
    }

    static List<String> names() {
        return List.of("text2k", "att20k");
    }

    static SendRequest request(String name) {
        SendRequest r = new SendRequest();
        r.setFrom("Bench <" + FROM + ">");
        r.setTo(new ArrayList<>(List.of("Rcpt <" + TO + ">")));
        r.setSubject("Mailbus benchmark " + name);
        switch (name) {
            case "text2k" -> r.setText(text(2000));
            case "att20k" -> {
                r.setText(text(600));
                r.setHtml("<html><body><p>" + text(1200).replace("\r\n", "</p>\r\n<p>") + "</p></body></html>");
                Attachment a = new Attachment();
                a.setFilename("report.bin");
                a.setContentType("application/octet-stream");
                a.setData(Base64.getEncoder().encodeToString(random(20 * 1024, 20)));
                r.setAttachments(new ArrayList<>(List.of(a)));
            }
            default -> throw new IllegalArgumentException(name);
        }
        return r;
    }

    static String label(String name) {
        return switch (name) {
            case "text2k" -> "2 KB text";
            case "att20k" -> "text+html+20 KB attachment";
            default -> name;
        };
    }

    static Shape build(String name) throws Exception {
        SendRequest r = request(name);
        r.setId("bench-" + name + "-0");
        return new Shape(name, label(name), r, mime(r));
    }

    static byte[] mime(SendRequest r) throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            MimeDataFormat f = new MimeDataFormat();
            f.setMessageIdDomain("mailbus.bench");
            f.start();
            Exchange ex = new DefaultExchange(ctx);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            f.marshal(ex, r, out);
            return out.toByteArray();
        }
    }

    /** The JSON an ingress receives for this shape, with a unique id. */
    static String json(String name, String id) throws Exception {
        SendRequest r = request(name);
        r.setId(id);
        return SendRequestJson.mapper().writeValueAsString(r);
    }

    static String text(int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 80);
        String line = "The quick brown fox jumps over the lazy dog; Mailbus benchmark body line.\r\n";
        while (sb.length() < bytes) {
            sb.append(line);
        }
        sb.setLength(bytes - 2);
        return sb.append("\r\n").toString();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
