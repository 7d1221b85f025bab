package io.mailbus.mime;

import java.io.IOException;
import java.security.PrivateKey;

/**
 * A DKIM signing key of one domain: mail whose {@code From} is in the domain or one of its subdomains is signed
 * with {@code d=domain; s=selector}. Tenants have one per domain (see the tenants file).
 *
 * @param domain     the signing domain (d=), lower case
 * @param selector   the selector (s=), published at {@code selector._domainkey.domain}
 * @param privateKey the PEM text (RSA PKCS#1/PKCS#8 or Ed25519 PKCS#8); never printed
 */
public record DkimKey(String domain, String selector, String privateKey) {

    /** Fails with the reason when the key cannot sign (unreadable PEM, another algorithm). */
    public void check() throws IOException {
        PrivateKey key = DkimKeys.read(privateKey);
        try {
            DkimKeys.signer(domain, selector, key);
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The parsed key; only for a key that passed {@link #check()} (the tenants file checks each). */
    static PrivateKey parse(String pem) {
        try {
            return DkimKeys.read(pem);
        } catch (IOException e) {
            throw new IllegalStateException("DKIM key unreadable: " + e.getMessage(), e);
        }
    }

    /** Whether mail from this domain (the part after {@code @}, lower case) is signed with this key. */
    boolean signs(String fromDomain) {
        return fromDomain.equals(domain) || fromDomain.endsWith("." + domain);
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "DkimKey[domain=" + domain + ", selector=" + selector + ", privateKey=****]";
    }
}
