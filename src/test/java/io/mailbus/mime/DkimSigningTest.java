package io.mailbus.mime;

import io.mailbus.request.SendRequest;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins DKIM signing: a message from the configured domain carries a DKIM-Signature that an independent,
 * DNS-free verifier written here (RFC 6376 canonicalisation, body hash, signature over the signed headers,
 * with the public key supplied) accepts for rsa-sha256; a change to the body breaks it; a message from
 * another domain is not signed; an Ed25519 key is refused at start (utils-mail-dkim 3.2.2 cannot use it).
 */
class DkimSigningTest {

    static SendRequest request(String from) {
        SendRequest r = new SendRequest();
        r.setId("dkim-1");
        r.setFrom(from);
        r.setTo(List.of("Ann <ann@example.org>"));
        r.setSubject("Signed  subject   with  spaces");
        r.setText("Hello,\r\nsigned body  with trailing spaces   \r\n\r\n\r\n");
        r.setHtml("<p>signed</p>");
        return r;
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    static byte[] signed(KeyPair pair, String from) throws Exception {
        MimeDataFormat format = new MimeDataFormat();
        format.setDkimDomain("example.com");
        format.setDkimSelector("s1");
        format.setDkimPrivateKey(pem(pair));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.marshal(new DefaultExchange(new DefaultCamelContext()), request(from), out);
        return out.toByteArray();
    }

    @Test
    void rsaSha256SignatureVerifiesWithThePublicKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();

        byte[] bytes = signed(pair, "Sender <news@mail.example.com>");

        Wire.assertSafeLines(bytes);
        Map<String, String> tags = DkimVerifier.tags(bytes);
        assertThat(tags).containsEntry("a", "rsa-sha256").containsEntry("d", "example.com").containsEntry("s", "s1");
        assertThat(tags.get("h").toLowerCase()).contains("from", "to", "subject", "date", "message-id");
        assertThat(DkimVerifier.verify(bytes, pair.getPublic())).isTrue();
    }

    @Test
    void ed25519KeysAreRefusedAtStartBecauseTheLibraryCannotSignWithThem() throws Exception {
        MimeDataFormat format = new MimeDataFormat();
        format.setDkimDomain("example.com");
        format.setDkimSelector("s1");
        format.setDkimPrivateKey(pem(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()));

        assertThatThrownBy(format::start).hasStackTraceContaining("ed25519-sha256 DKIM is not supported");
    }

    @Test
    void aChangedBodyNoLongerVerifies() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        String wire = new String(signed(pair, "news@example.com"), StandardCharsets.ISO_8859_1);

        byte[] tampered = wire.replace("signed body", "signed bodx").getBytes(StandardCharsets.ISO_8859_1);

        assertThat(DkimVerifier.verify(tampered, pair.getPublic())).isFalse();
    }

    @Test
    void otherSenderDomainsAreNotSigned() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);

        byte[] bytes = signed(g.generateKeyPair(), "news@notexample.com");

        assertThat(Wire.headerNames(bytes)).doesNotContain("DKIM-Signature");
    }

    /** RFC 6376 / RFC 8463 verification with a given public key; no DNS. */
    static final class DkimVerifier {

        static Map<String, String> tags(byte[] bytes) {
            String value = field(headers(bytes), "dkim-signature").split(":", 2)[1];
            Map<String, String> tags = new LinkedHashMap<>();
            for (String tag : value.split(";")) {
                String t = tag.replaceAll("[ \t\r\n]", "");
                if (!t.isEmpty()) {
                    tags.put(t.substring(0, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
                }
            }
            return tags;
        }

        static boolean verify(byte[] bytes, PublicKey key) throws Exception {
            Map<String, String> tags = tags(bytes);
            String[] c = tags.getOrDefault("c", "simple/simple").split("/");
            boolean relaxedHeader = c[0].equals("relaxed");
            boolean relaxedBody = c.length > 1 && c[1].equals("relaxed");
            String wire = new String(bytes, StandardCharsets.ISO_8859_1);
            String body = wire.substring(wire.indexOf("\r\n\r\n") + 4);
            byte[] bh = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalBody(body, relaxedBody).getBytes(StandardCharsets.ISO_8859_1));
            if (!Base64.getEncoder().encodeToString(bh).equals(tags.get("bh"))) {
                return false;
            }
            List<String> fields = headers(bytes);
            List<String> unused = new ArrayList<>(fields);
            Collections.reverse(unused);
            StringBuilder data = new StringBuilder();
            for (String name : tags.get("h").split(":")) {
                for (String f : unused) {
                    if (f.substring(0, f.indexOf(':')).trim().equalsIgnoreCase(name)) {
                        data.append(canonicalHeader(f, relaxedHeader)).append("\r\n");
                        unused.remove(f);
                        break;
                    }
                }
            }
            String sig = field(fields, "dkim-signature");
            String withoutB = removeSignatureValue(sig);
            data.append(canonicalHeader(withoutB, relaxedHeader));
            byte[] signedData = data.toString().getBytes(StandardCharsets.ISO_8859_1);
            Signature verifier;
            if (tags.get("a").equals("rsa-sha256")) {
                verifier = Signature.getInstance("SHA256withRSA");
            } else {
                verifier = Signature.getInstance("Ed25519");
                signedData = MessageDigest.getInstance("SHA-256").digest(signedData);
            }
            verifier.initVerify(key);
            verifier.update(signedData);
            return verifier.verify(Base64.getDecoder().decode(tags.get("b")));
        }

        /** The DKIM-Signature field with the value of its b= tag (not bh=) emptied, folding kept. */
        private static String removeSignatureValue(String field) {
            int i = 0;
            while (true) {
                int at = field.indexOf("b=", i);
                char before = at > 0 ? field.charAt(at - 1) : ';';
                if (before == ';' || Character.isWhitespace(before)) {
                    int end = field.indexOf(';', at);
                    return field.substring(0, at + 2) + (end < 0 ? "" : field.substring(end));
                }
                i = at + 2;
            }
        }

        private static String canonicalHeader(String field, boolean relaxed) {
            if (!relaxed) {
                return field;
            }
            int colon = field.indexOf(':');
            String name = field.substring(0, colon).trim().toLowerCase();
            String value = field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").trim();
            return name + ":" + value;
        }

        private static String canonicalBody(String body, boolean relaxed) {
            String b = body;
            if (relaxed) {
                StringBuilder sb = new StringBuilder();
                for (String line : b.split("\r\n", -1)) {
                    sb.append(line.replaceAll("[ \t]+", " ").replaceAll(" $", "")).append("\r\n");
                }
                b = sb.substring(0, sb.length() - 2);
            }
            while (b.endsWith("\r\n\r\n")) {
                b = b.substring(0, b.length() - 2);
            }
            if (b.isEmpty() || b.equals("\r\n")) {
                return relaxed ? "" : "\r\n";
            }
            return b.endsWith("\r\n") ? b : b + "\r\n";
        }

        /** Unfolded-in-place header fields (each with its CRLF folds), in order. */
        private static List<String> headers(byte[] bytes) {
            String wire = new String(bytes, StandardCharsets.ISO_8859_1);
            String head = wire.substring(0, wire.indexOf("\r\n\r\n"));
            List<String> fields = new ArrayList<>();
            for (String line : head.split("\r\n")) {
                if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                    fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
                } else {
                    fields.add(line);
                }
            }
            return fields;
        }

        private static String field(List<String> fields, String name) {
            return fields.stream().filter(f -> f.toLowerCase().startsWith(name + ":")).findFirst().orElseThrow();
        }
    }
}
