package io.mailbus.smtppool;

import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.mail.Session;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;

/**
 * Builds the one mail {@link Session} of a pool from the endpoint configuration alone, so that no header of any
 * exchange can reach a {@code mail.smtp.*} setting.
 */
final class SmtpSessions {

    private SmtpSessions() {
    }

    /**
     * The session of one pool. A write timeout uses Angus Mail's {@code mail.smtp.writetimeout}: it wraps the socket
     * so every write arms a task on {@code writeTimeouts} that closes the socket if the write is still blocked when
     * it fires; the shared scheduler keeps that to one thread for all connections (Angus would start one per
     * socket). Measured here (2 cores): one schedule and cancel costs ~0.55 µs, ~1.7 µs with 4 threads contending;
     * a 2 KB message makes ~6 writes (commands, data, dot), so a few µs against ~0.4 ms a message on loopback,
     * and a large message one per 8 KB buffer. A socket-level alternative (our own watchdog around writes) would
     * cost the same per write and cover fewer of them.
     */
    static Session create(SmtpPoolConfiguration cfg, CamelContext context, ScheduledExecutorService writeTimeouts) {
        SmtpEncryption encryption = cfg.resolvedEncryption();
        Properties p = new Properties();
        p.setProperty("mail.smtp.connectiontimeout", Long.toString(cfg.getConnectTimeout()));
        p.setProperty("mail.smtp.timeout", Long.toString(cfg.getReadTimeout()));
        if (cfg.getWriteTimeout() > 0) {
            p.setProperty("mail.smtp.writetimeout", Long.toString(Math.min(Integer.MAX_VALUE, cfg.getWriteTimeout())));
            p.put("mail.smtp.executor.writetimeout", writeTimeouts);
        }
        p.setProperty("mail.smtp.sendpartial", "true");
        p.setProperty("mail.smtp.quitwait", "false");
        p.setProperty("mail.smtp.userset", "true");
        p.setProperty("mail.smtp.noop.strict", "true");
        if (cfg.getHeloName() != null && !cfg.getHeloName().isBlank()) {
            p.setProperty("mail.smtp.localhost", cfg.getHeloName());
        }
        p.setProperty("mail.smtp.auth", Boolean.toString(cfg.authenticates()));
        if (cfg.getAuthMechanisms() != null && !cfg.getAuthMechanisms().isBlank()) {
            String mechanisms = cfg.getAuthMechanisms().replace(',', ' ').trim().toUpperCase(Locale.ROOT);
            p.setProperty("mail.smtp.auth.mechanisms", mechanisms);
            if (mechanisms.contains("XOAUTH2")) {
                p.setProperty("mail.smtp.auth.xoauth2.disable", "false");
            }
        }
        p.put("mail.smtp.socketFactory", new NoDelaySocketFactory());
        p.setProperty("mail.smtp.socketFactory.fallback", "false");
        if (encryption != SmtpEncryption.NONE) {
            p.put("mail.smtp.ssl.socketFactory", new NoDelaySslSocketFactory(sslContext(cfg, context).getSocketFactory()));
            p.setProperty("mail.smtp.ssl.checkserveridentity", Boolean.toString(cfg.isCheckServerIdentity()));
        }
        if (encryption == SmtpEncryption.STARTTLS) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        if (encryption == SmtpEncryption.SSL) {
            p.setProperty("mail.smtp.ssl.enable", "true");
        }
        return Session.getInstance(p);
    }

    /** sslContextParameters if set, else the trustStore file if set, else the JVM's default trust. */
    private static SSLContext sslContext(SmtpPoolConfiguration cfg, CamelContext context) {
        try {
            if (cfg.getSslContextParameters() != null) {
                return cfg.getSslContextParameters().createSSLContext(context);
            }
            if (cfg.getTrustStore() != null && !cfg.getTrustStore().isBlank()) {
                return trustStoreContext(cfg.getTrustStore().trim(), cfg.getTrustStorePassword());
            }
            return SSLContext.getDefault();
        } catch (GeneralSecurityException | IOException e) {
            throw new RuntimeCamelException("Cannot build the TLS context for " + cfg.getHost() + " ("
                                            + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** A TLS context trusting exactly the certificates in a PKCS12 or JKS file (the type is detected). */
    private static SSLContext trustStoreContext(String path, String password)
            throws GeneralSecurityException, IOException {
        char[] pw = password == null || password.isEmpty() ? null : password.toCharArray();
        KeyStore store = KeyStore.getInstance(new File(path), pw);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
