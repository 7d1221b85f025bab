package io.mailbus.mime;

import io.mailbus.request.SendRequest;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * with the public key supplied; for ed25519-sha256 the JDK's Ed25519 over the SHA-256 of the header data, as
 * RFC 8463 says) accepts, for rsa-sha256 and ed25519-sha256; a change to the body or a signed header, or the
 * public key of another pair, breaks it; a message from another domain is not signed.
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

    static MimeDataFormat format(KeyPair pair) {
        MimeDataFormat format = new MimeDataFormat();
        format.setDkimDomain("example.com");
        format.setDkimSelector("s1");
        format.setDkimPrivateKey(pem(pair));
        return format;
    }

    static byte[] signed(KeyPair pair, String from) throws Exception {
        MimeDataFormat format = format(pair);
        format.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.marshal(new DefaultExchange(new DefaultCamelContext()), Validated.request(request(from)), out);
        return out.toByteArray();
    }

    static KeyPair pair(String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSA")) {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    static String dkimAlgorithm(String keyAlgorithm) {
        return keyAlgorithm.equals("RSA") ? "rsa-sha256" : "ed25519-sha256";
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void theSignatureVerifiesWithThePublicKey(String algorithm) throws Exception {
        KeyPair pair = pair(algorithm);

        byte[] bytes = signed(pair, "Sender <news@mail.example.com>");

        Wire.assertSafeLines(bytes);
        Map<String, String> tags = DkimVerifier.tags(bytes);
        assertThat(tags).containsEntry("a", dkimAlgorithm(algorithm))
                .containsEntry("d", "example.com").containsEntry("s", "s1");
        assertThat(tags.get("h").toLowerCase()).contains("from", "to", "subject", "date", "message-id");
        assertThat(DkimVerifier.verify(bytes, pair.getPublic())).isTrue();
    }

    @Test
    void anEd25519SignatureIsTheSixtyFourByteEd25519SignatureOfTheHeaderHash() throws Exception {
        byte[] bytes = signed(pair("Ed25519"), "news@example.com");

        assertThat(Base64.getDecoder().decode(DkimVerifier.tags(bytes).get("b"))).hasSize(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void aChangedBodyNoLongerVerifies(String algorithm) throws Exception {
        KeyPair pair = pair(algorithm);
        String wire = new String(signed(pair, "news@example.com"), StandardCharsets.ISO_8859_1);

        byte[] tampered = wire.replace("signed body", "signed bodx").getBytes(StandardCharsets.ISO_8859_1);

        assertThat(tampered).isNotEqualTo(wire.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(DkimVerifier.verify(tampered, pair.getPublic())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void aChangedSignedHeaderNoLongerVerifies(String algorithm) throws Exception {
        KeyPair pair = pair(algorithm);
        String wire = new String(signed(pair, "news@example.com"), StandardCharsets.ISO_8859_1);

        byte[] tampered = wire.replace("Subject: Signed  subject", "Subject: Signed  subjeck")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThat(tampered).isNotEqualTo(wire.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(DkimVerifier.verify(tampered, pair.getPublic())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void theKeyOfAnotherPairDoesNotVerify(String algorithm) throws Exception {
        byte[] bytes = signed(pair(algorithm), "news@example.com");

        assertThat(DkimVerifier.verify(bytes, pair(algorithm).getPublic())).isFalse();
    }

    @Test
    void keysOtherThanRsaAndEd25519AreRefusedAtStart() throws Exception {
        MimeDataFormat format = format(pair("Ed448"));

        assertThatThrownBy(format::start).hasStackTraceContaining("DKIM keys must be RSA (rsa-sha256) or Ed25519");
    }

    @Test
    void otherSenderDomainsAreNotSigned() throws Exception {
        byte[] bytes = signed(pair("RSA"), "news@notexample.com");

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
