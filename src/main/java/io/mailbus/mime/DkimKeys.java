package io.mailbus.mime;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.simplejavamail.utils.mail.dkim.DkimSigner;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;

/**
 * Reads a DKIM private key (PEM text or a path to it; PKCS#1 or PKCS#8) and makes rsa-sha256 signers.
 * BouncyCastle reads the PEM because PKCS#1 is what
 * {@code openssl genrsa} writes.
 */
final class DkimKeys {

    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private DkimKeys() {
    }

    static PrivateKey read(String pemOrPath) throws IOException {
        String pem = pemOrPath.contains("-----BEGIN")
                ? pemOrPath : Files.readString(Path.of(pemOrPath.trim()), StandardCharsets.US_ASCII);
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(PROVIDER);
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException("no unencrypted private key in the DKIM key PEM");
        }
    }

    /**
     * Ed25519 is refused up front: utils-mail-dkim 3.2.2 asks the JCA for "NONEwithEdDSA", a name only the
     * old i2p EdDSA provider offered, so with BouncyCastle 1.78 every ed25519-sha256 signature fails at send.
     */
    static String unsupported(PrivateKey key) {
        return key instanceof EdDSAPrivateKey
                ? "ed25519-sha256 DKIM is not supported by utils-mail-dkim 3.2.2 (no NONEwithEdDSA); use an RSA key"
                : "DKIM keys must be RSA, not " + key.getAlgorithm();
    }

    /** A fresh signer per message: DkimSigner keeps its digest and signature objects as mutable state. */
    static DkimSigner signer(String domain, String selector, PrivateKey key) throws Exception {
        DkimSigner signer;
        if (key instanceof RSAPrivateKey rsa) {
            signer = new DkimSigner(domain, selector, rsa);
        } else {
            throw new IllegalArgumentException(unsupported(key));
        }
        signer.setCheckDomainKey(false);
        return signer;
    }
}
