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
 * Reads a DKIM private key (PEM text or a path to it; RSA in PKCS#1 or PKCS#8, Ed25519 in PKCS#8) and makes
 * rsa-sha256 or ed25519-sha256 signers. BouncyCastle reads the PEM because PKCS#1 is what
 * {@code openssl genrsa} writes, and because utils-mail-dkim only takes BouncyCastle's Ed25519 key type.
 */
final class DkimKeys {

    /**
     * Used by instance, not registered here, so BouncyCastle never outranks the platform's providers (though
     * utils-mail-dkim appends one of its own to the JVM's list when it first builds an Ed25519 signer).
     */
    static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

    private DkimKeys() {
    }

    static PrivateKey read(String pemOrPath) throws IOException {
        String pem = pemOrPath.contains("-----BEGIN")
                ? pemOrPath : Files.readString(Path.of(pemOrPath.trim()), StandardCharsets.US_ASCII);
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BOUNCY_CASTLE);
            PrivateKey key;
            if (o instanceof PEMKeyPair pair) {
                key = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (o instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else {
                throw new IOException("no unencrypted private key in the DKIM key PEM");
            }
            return key instanceof EdDSAPrivateKey ed && "Ed25519".equalsIgnoreCase(ed.getAlgorithm())
                    ? new DkimEd25519.Key(ed) : key;
        }
    }

    static String unsupported(PrivateKey key) {
        return "DKIM keys must be RSA (rsa-sha256) or Ed25519 (ed25519-sha256), not " + key.getAlgorithm();
    }

    /**
     * A fresh signer per message: DkimSigner keeps its digest and signature objects as mutable state. Ed25519
     * needs {@link DkimEd25519}'s provider installed before the library's constructor looks up its signature.
     */
    static DkimSigner signer(String domain, String selector, PrivateKey key) throws Exception {
        DkimSigner signer;
        if (key instanceof RSAPrivateKey rsa) {
            signer = new DkimSigner(domain, selector, rsa);
        } else if (key instanceof DkimEd25519.Key ed) {
            DkimEd25519.install();
            signer = new DkimSigner(domain, selector, ed);
        } else {
            throw new IllegalArgumentException(unsupported(key));
        }
        signer.setCheckDomainKey(false);
        return signer;
    }
}
