package io.mailbus.mime;

import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jcajce.interfaces.EdDSAPublicKey;

import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.Base64;

/**
 * Lets utils-mail-dkim 3.2.2 sign ed25519-sha256 (RFC 8463) without forking it.
 *
 * <p>The library's Ed25519 path asks the JCA for {@code Signature.getInstance("NONEwithEdDSA")} (a name only the
 * retired i2p EdDSA provider offered), feeds it the canonicalised header data and puts base64 of the result in
 * b=. RFC 8463 wants Ed25519 over the SHA-256 of that data, not over the data itself, so the signature served
 * here hashes first and then signs the 32-byte hash with pure Ed25519 (BouncyCastle's, as the library already
 * insists on BouncyCastle's key type; the tests verify with the JDK's Ed25519, a second implementation).
 *
 * <p>The library names no provider, so this one has to be installed globally; its service only accepts
 * {@link Key}, which only {@link DkimKeys} makes, so every other "NONEwithEdDSA" request in the JVM (with any
 * other key) is untouched by this hash-then-sign meaning and fails or goes elsewhere as before.
 */
final class DkimEd25519 {

    static final String PROVIDER_NAME = "MailbusDkimEd25519";

    private static final Provider PROVIDER = new Ed25519Sha256Provider();

    private DkimEd25519() {
    }

    /** Idempotent; the provider goes last so it can never shadow a platform algorithm. */
    static synchronized void install() {
        if (Security.getProvider(PROVIDER_NAME) == null) {
            Security.addProvider(PROVIDER);
        }
    }

    /**
     * An Ed25519 DKIM key: BouncyCastle's key (the type the library's constructor demands) in a class of our own,
     * so that the provider above can tell DKIM signing apart from any other use of "NONEwithEdDSA".
     */
    static final class Key implements EdDSAPrivateKey {

        private static final long serialVersionUID = 1L;

        private final EdDSAPrivateKey key;

        Key(EdDSAPrivateKey key) {
            if (!"Ed25519".equalsIgnoreCase(key.getAlgorithm())) {
                throw new IllegalArgumentException("not an Ed25519 key: " + key.getAlgorithm());
            }
            this.key = key;
        }

        @Override
        public EdDSAPublicKey getPublicKey() {
            return key.getPublicKey();
        }

        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        @Override
        public String getFormat() {
            return key.getFormat();
        }

        @Override
        public byte[] getEncoded() {
            return key.getEncoded();
        }

        /**
         * The TXT record to publish at {@code selector._domainkey.domain}: RFC 8463 puts the raw 32-byte public
         * key in p=, not the X.509 structure that RSA records carry, an easy mistake when publishing by hand.
         */
        String dnsRecord() {
            return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(getPublicKey().getPointEncoding());
        }

        @Override
        public String toString() {
            return "Ed25519 DKIM private key";
        }
    }

    private static final class Ed25519Sha256Provider extends Provider {

        private static final long serialVersionUID = 1L;

        Ed25519Sha256Provider() {
            super(PROVIDER_NAME, "1.0", "ed25519-sha256 (RFC 8463) as NONEwithEdDSA, for Mailbus DKIM keys only");
            putService(new Service(this, "Signature", "NONEwithEdDSA", Sha256ThenEd25519.class.getName(), null, null) {
                @Override
                public boolean supportsParameter(Object parameter) {
                    return parameter instanceof Key;
                }

                @Override
                public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                    return new Sha256ThenEd25519();
                }
            });
        }
    }

    /** Streams the header data into SHA-256, so nothing is buffered however many headers are signed. */
    private static final class Sha256ThenEd25519 extends SignatureSpi {

        private final MessageDigest sha256;
        private Signature ed25519;

        Sha256ThenEd25519() throws NoSuchAlgorithmException {
            sha256 = MessageDigest.getInstance("SHA-256");
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            if (!(privateKey instanceof Key dkim)) {
                throw new InvalidKeyException("only Mailbus DKIM Ed25519 keys");
            }
            try {
                ed25519 = Signature.getInstance("Ed25519", DkimKeys.BOUNCY_CASTLE);
            } catch (NoSuchAlgorithmException e) {
                throw new InvalidKeyException(e);
            }
            ed25519.initSign(dkim.key);
            sha256.reset();
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            throw new InvalidKeyException("signs only; verifiers use Ed25519 over the SHA-256 themselves");
        }

        @Override
        protected void engineUpdate(byte b) {
            sha256.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            sha256.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            if (ed25519 == null) {
                throw new SignatureException("not initialised for signing");
            }
            ed25519.update(sha256.digest());
            return ed25519.sign();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            throw new SignatureException("signs only");
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("no parameters");
        }
    }
}
