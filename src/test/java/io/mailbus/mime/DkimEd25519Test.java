package io.mailbus.mime;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins how ed25519-sha256 is bent into utils-mail-dkim: an Ed25519 PKCS#8 PEM from the JDK's own generator is
 * accepted; the "NONEwithEdDSA" the library signs with is Ed25519 over the SHA-256 of what it is fed (RFC 8463),
 * and only for our DKIM keys; the published p= is the raw 32-byte key, and a verifier holding only that
 * accepts the message.
 */
class DkimEd25519Test {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410); the raw key follows. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** DER prefix of a PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410); the 32-byte seed follows. */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static byte[] marshal(MimeDataFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.marshal(new DefaultExchange(new DefaultCamelContext()),
                Validated.request(DkimSigningTest.request("news@example.com")), out);
        return out.toByteArray();
    }

    private static PublicKey fromDnsRecord(String record) throws Exception {
        String p = record.substring(record.indexOf("p=") + 2);
        byte[] raw = Base64.getDecoder().decode(p);
        assertThat(raw).hasSize(32);
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    @Test
    void aJdkGeneratedEd25519PemIsAcceptedAndSignsWithEd25519Sha256() throws Exception {
        KeyPair pair = ed25519();
        MimeDataFormat format = DkimSigningTest.format(pair);

        format.start();
        byte[] bytes = marshal(format);

        assertThat(DkimSigningTest.DkimVerifier.tags(bytes)).containsEntry("a", "ed25519-sha256");
        assertThat(DkimSigningTest.DkimVerifier.verify(bytes, pair.getPublic())).isTrue();
    }

    @Test
    void anEd25519PemIsReadFromAFilePathToo(@TempDir Path dir) throws Exception {
        KeyPair pair = ed25519();
        Path file = dir.resolve("dkim.pem");
        Files.writeString(file, DkimSigningTest.pem(pair), StandardCharsets.US_ASCII);
        MimeDataFormat format = new MimeDataFormat();
        format.setDkimDomain("example.com");
        format.setDkimSelector("s1");
        format.setDkimPrivateKey(file.toString());

        format.start();

        assertThat(DkimSigningTest.DkimVerifier.verify(marshal(format), pair.getPublic())).isTrue();
    }

    @Test
    void theDnsRecordCarriesTheRawPublicKeyAndAVerifierHoldingOnlyThatAccepts() throws Exception {
        KeyPair pair = ed25519();
        DkimEd25519.Key key = (DkimEd25519.Key) DkimKeys.read(DkimSigningTest.pem(pair));
        String record = key.dnsRecord();
        MimeDataFormat format = DkimSigningTest.format(pair);
        format.start();

        assertThat(record).startsWith("v=DKIM1; k=ed25519; p=");
        assertThat(fromDnsRecord(record)).isEqualTo(pair.getPublic());
        assertThat(DkimSigningTest.DkimVerifier.verify(marshal(format), fromDnsRecord(record))).isTrue();
    }

    @Test
    void theDnsRecordOfTheRfc8032TestVectorOneSeedIsItsPublishedPublicKey() throws Exception {
        byte[] seed = Base64.getDecoder().decode("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=");
        byte[] pkcs8 = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + seed.length);
        System.arraycopy(seed, 0, pkcs8, PKCS8_PREFIX.length, seed.length);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";

        DkimEd25519.Key key = (DkimEd25519.Key) DkimKeys.read(pem);

        assertThat(key.dnsRecord()).isEqualTo("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    }

    @Test
    void noneWithEdDsaSignsTheSha256OfItsInputWithPureEd25519() throws Exception {
        KeyPair pair = ed25519();
        DkimEd25519.install();
        byte[] data = "from:Sender <news@example.com>\r\ndkim-signature:v=1; a=ed25519-sha256; b="
                .getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("NONEwithEdDSA");
        signer.initSign(DkimKeys.read(DkimSigningTest.pem(pair)));
        signer.update(data);
        byte[] signature = signer.sign();

        Signature overHash = Signature.getInstance("Ed25519");
        overHash.initVerify(pair.getPublic());
        overHash.update(MessageDigest.getInstance("SHA-256").digest(data));
        Signature overData = Signature.getInstance("Ed25519");
        overData.initVerify(pair.getPublic());
        overData.update(data);

        assertThat(signer.getProvider().getName()).isEqualTo(DkimEd25519.PROVIDER_NAME);
        assertThat(signature).hasSize(64);
        assertThat(overHash.verify(signature)).isTrue();
        assertThat(overData.verify(signature)).isFalse();
    }

    @Test
    void theHashThenSignMeaningIsNotOfferedForAnyOtherKey() throws Exception {
        DkimEd25519.install();
        Signature other = Signature.getInstance("NONEwithEdDSA");

        assertThatThrownBy(() -> other.initSign(ed25519().getPrivate())).isInstanceOf(InvalidKeyException.class);
    }
}
