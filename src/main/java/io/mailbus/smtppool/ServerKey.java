package io.mailbus.smtppool;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What makes two endpoints share a pool: the same server, reached the same way, as the same user, with every other
 * setting that shapes a connection or the pool equal too. Two endpoints that differ in password, trust, identity
 * check, HELO name, a timeout or a pool size get two pools, because a pooled connection carries the TLS trust and
 * the authentication of the endpoint that opened it: sharing would let one endpoint deliver over another's
 * credentials.
 * <p>
 * {@link #toString()} names the pool without secrets: {@code encryption://user@host:port#variant}, where the
 * variant is a keyed hash (HMAC-SHA-256 under a key drawn at random per JVM) of all the settings, so it tells pools
 * apart within this process but cannot be used to test a guessed password.
 *
 * @param settings every connection-shaping setting in a fixed order; objects without value equality (the OAuth
 *                 token supplier, sslContextParameters) are compared by identity
 */
record ServerKey(String host, int port, SmtpEncryption encryption, String username, List<Object> settings) {

    private static final byte[] VARIANT_KEY = randomKey();

    static ServerKey of(SmtpPoolConfiguration cfg) {
        List<Object> settings = Arrays.asList(
                cfg.getPassword(), normalized(cfg.getAuthMechanisms()), Identity.of(cfg.getOauthTokenSupplier()),
                Identity.of(cfg.getSslContextParameters()), cfg.getTrustStore(), cfg.getTrustStorePassword(),
                cfg.isCheckServerIdentity(), cfg.isAllowPlaintextAuth(), cfg.getHeloName(), cfg.getConnectTimeout(),
                cfg.getReadTimeout(),
                cfg.getDataEndTimeout(), cfg.getWriteTimeout(),
                cfg.getPoolMaxTotal(), cfg.getPoolMaxWait(), cfg.getIdleTimeout(), cfg.getMaxLifetime(),
                cfg.getMaxMessagesPerConnection(), cfg.getValidateAfterIdle(), cfg.getHealthCheckVrfy(),
                cfg.isHealthCheckVrfyRequired(), cfg.isPipelining(), cfg.isChunking());
        return new ServerKey(cfg.getHost().toLowerCase(Locale.ROOT), cfg.getPort(), cfg.resolvedEncryption(),
                             cfg.getUsername(), settings);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String normalized(String mechanisms) {
        return mechanisms == null ? "" : mechanisms.replace(',', ' ').trim().toUpperCase(Locale.ROOT);
    }

    /** The server alone, {@code host:port}, as health check ids and metric tags name it. */
    String server() {
        return host + ":" + port;
    }

    /** Eight hex digits that differ between pools of the same server and user; reveals nothing about a secret. */
    String variant() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(VARIANT_KEY, "HmacSHA256"));
            byte[] digest = mac.doFinal(settings.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            return Integer.toHexString(System.identityHashCode(this)); // HmacSHA256 is in every JDK
        }
    }

    @Override
    public String toString() {
        String user = username == null ? "" : username + "@";
        return encryption.name().toLowerCase(Locale.ROOT) + "://" + user + host + ":" + port + "#" + variant();
    }

    /** Compares an object by identity and prints only its type and identity hash, never its content. */
    private record Identity(Object target) {

        static Identity of(Object target) {
            return target == null ? null : new Identity(target);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.target == target;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(target);
        }

        @Override
        public String toString() {
            return target.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(target));
        }
    }
}
