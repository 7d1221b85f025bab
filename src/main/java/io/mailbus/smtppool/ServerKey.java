package io.mailbus.smtppool;

import java.util.Locale;

/** What makes two endpoints share a pool: the same server, reached the same way, as the same user. */
record ServerKey(String host, int port, SmtpEncryption encryption, String username) {

    static ServerKey of(SmtpPoolConfiguration cfg) {
        return new ServerKey(cfg.getHost().toLowerCase(Locale.ROOT), cfg.getPort(), cfg.resolvedEncryption(),
                             cfg.getUsername());
    }

    /** The server alone, {@code host:port}, as health check ids and metric tags name it. */
    String server() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        String user = username == null ? "" : username + "@";
        return encryption.name().toLowerCase(Locale.ROOT) + "://" + user + host + ":" + port;
    }
}
