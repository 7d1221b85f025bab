package io.mailbus.smtppool;

import java.util.Locale;
import java.util.function.Supplier;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Every option of an {@code smtp-pool} endpoint. Only these values shape the SMTP session: nothing on an exchange
 * can change them, which is what keeps inbound headers out of the mail layer.
 */
@UriParams
public class SmtpPoolConfiguration implements Cloneable {

    @UriPath
    @Metadata(required = true)
    private String host;
    @UriPath(defaultValue = "25")
    private int port = 25;
    @UriParam(label = "security", enums = "none,starttls,ssl")
    private String encryption;
    @UriParam(label = "security", secret = true)
    private String username;
    @UriParam(label = "security", secret = true)
    private String password;
    @UriParam(label = "security")
    private String authMechanisms;
    @UriParam(label = "security")
    private Supplier<String> oauthTokenSupplier;
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "security")
    private String trustStore;
    @UriParam(label = "security", secret = true)
    private String trustStorePassword;
    @UriParam(label = "security", defaultValue = "true")
    private boolean checkServerIdentity = true;
    @UriParam(label = "security", defaultValue = "false")
    private boolean allowPlaintextAuth;
    @UriParam(label = "producer", defaultValue = "30000", javaType = "java.time.Duration")
    private long connectTimeout = 30_000;
    @UriParam(label = "producer", defaultValue = "60000", javaType = "java.time.Duration")
    private long readTimeout = 60_000;
    @UriParam(label = "producer", defaultValue = "600000", javaType = "java.time.Duration")
    private long dataEndTimeout = 600_000;
    @UriParam(label = "producer", defaultValue = "60000", javaType = "java.time.Duration")
    private long writeTimeout = 60_000;
    @UriParam(label = "producer,pool", defaultValue = "10")
    private int poolMaxTotal = 10;
    @UriParam(label = "producer,pool", defaultValue = "10000", javaType = "java.time.Duration")
    private long poolMaxWait = 10_000;
    @UriParam(label = "producer,pool", defaultValue = "300000", javaType = "java.time.Duration")
    private long idleTimeout = 300_000;
    @UriParam(label = "producer,pool", defaultValue = "3600000", javaType = "java.time.Duration")
    private long maxLifetime = 3_600_000;
    @UriParam(label = "producer,pool", defaultValue = "0")
    private int maxMessagesPerConnection;
    @UriParam(label = "producer,pool", defaultValue = "5000", javaType = "java.time.Duration")
    private long validateAfterIdle = 5_000;
    @UriParam(label = "producer")
    private String heloName;
    @UriParam(label = "producer", defaultValue = "false")
    private boolean lazyStart;
    @UriParam(label = "producer", defaultValue = "true")
    private boolean pipelining = true;
    @UriParam(label = "producer", defaultValue = "true")
    private boolean chunking = true;
    @UriParam(label = "health")
    private String healthCheckVrfy;
    @UriParam(label = "health", defaultValue = "false")
    private boolean healthCheckVrfyRequired;
    @UriParam(label = "health", defaultValue = "30000", javaType = "java.time.Duration")
    private long healthCheckCacheTime = 30_000;

    public String getHost() {
        return host;
    }

    /**
     * The SMTP server's host name; with TLS it is also the name the certificate must carry.
     */
    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    /**
     * The SMTP server's port; 587 implies STARTTLS and 465 implicit TLS unless encryption says otherwise.
     */
    public void setPort(int port) {
        this.port = port;
    }

    public String getEncryption() {
        return encryption;
    }

    /**
     * Transport security: none, starttls (the upgrade is required, never silently skipped) or ssl (implicit TLS).
     * Defaults to starttls on port 587, ssl on port 465 and none elsewhere.
     */
    public void setEncryption(String encryption) {
        this.encryption = encryption;
    }

    public String getUsername() {
        return username;
    }

    /** Whether to AUTH at all: an empty username (the settings file's default) means no authentication. */
    boolean authenticates() {
        return username != null && !username.isEmpty();
    }

    /**
     * The user to authenticate as; without it the connection does not authenticate.
     */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /**
     * The password for PLAIN or LOGIN authentication; never logged.
     */
    public void setPassword(String password) {
        this.password = password;
    }

    public String getAuthMechanisms() {
        return authMechanisms;
    }

    /**
     * Space or comma separated SASL mechanisms to try, in order: PLAIN, LOGIN, XOAUTH2. Empty means Angus Mail's
     * default order (LOGIN, PLAIN, DIGEST-MD5, NTLM).
     */
    public void setAuthMechanisms(String authMechanisms) {
        this.authMechanisms = authMechanisms;
    }

    public Supplier<String> getOauthTokenSupplier() {
        return oauthTokenSupplier;
    }

    /**
     * The bean that hands out XOAUTH2 access tokens; it is asked again for every new connection so that a pooled
     * connection never outlives the token's refresh.
     */
    public void setOauthTokenSupplier(Supplier<String> oauthTokenSupplier) {
        this.oauthTokenSupplier = oauthTokenSupplier;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * Trust and key material for STARTTLS and implicit TLS; without it the JVM's default trust store is used.
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public String getTrustStore() {
        return trustStore;
    }

    /**
     * Path of a PKCS12 or JKS file holding the certificates to trust for STARTTLS and implicit TLS, instead of the
     * JVM's default trust store; empty means the default. Ignored when sslContextParameters is set.
     */
    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    /**
     * The password of the trust store file, if it has one; never logged.
     */
    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    public boolean isCheckServerIdentity() {
        return checkServerIdentity;
    }

    /**
     * Whether the server certificate must name the host; switching it off allows a man in the middle.
     */
    public void setCheckServerIdentity(boolean checkServerIdentity) {
        this.checkServerIdentity = checkServerIdentity;
    }

    public boolean isAllowPlaintextAuth() {
        return allowPlaintextAuth;
    }

    /**
     * Whether a username with a password or XOAUTH2 token may be sent over a connection with encryption=none, where
     * anyone on the path can read it; by default such an endpoint refuses to connect (a relay on loopback may allow).
     */
    public void setAllowPlaintextAuth(boolean allowPlaintextAuth) {
        this.allowPlaintextAuth = allowPlaintextAuth;
    }

    /**
     * Null when this endpoint may authenticate as configured; else why not: credentials would cross an unencrypted
     * connection and allowPlaintextAuth does not allow it.
     */
    String plaintextAuthRefusal() {
        if (!authenticates() || allowPlaintextAuth || resolvedEncryption() != SmtpEncryption.NONE) {
            return null;
        }
        return "encryption=none would send the SMTP credentials to " + host + ":" + port
               + " in clear; use encryption=starttls or ssl, or set allowPlaintextAuth=true where the path is trusted"
               + " (e.g. a relay on loopback)";
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * How long to wait for the TCP connection to open.
     */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getReadTimeout() {
        return readTimeout;
    }

    /**
     * How long to wait for any one server reply before the connection is given up as broken.
     */
    public void setReadTimeout(long readTimeout) {
        this.readTimeout = readTimeout;
    }

    public long getDataEndTimeout() {
        return dataEndTimeout;
    }

    /**
     * How long to wait for the server's reply to the end of the message data (the final dot), which RFC 5321
     * 4.5.3.2 sets at 10 minutes because servers scan and queue the message first; readTimeout bounds every other
     * reply.
     */
    public void setDataEndTimeout(long dataEndTimeout) {
        this.dataEndTimeout = dataEndTimeout;
    }

    public long getWriteTimeout() {
        return writeTimeout;
    }

    /**
     * How long one write to the server may block (a server that stops reading, e.g. after 354) before the connection
     * is closed as broken; 0 means no limit.
     */
    public void setWriteTimeout(long writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    public int getPoolMaxTotal() {
        return poolMaxTotal;
    }

    /**
     * The most connections open at once to this server, shared by every endpoint that points at it.
     */
    public void setPoolMaxTotal(int poolMaxTotal) {
        this.poolMaxTotal = poolMaxTotal;
    }

    public long getPoolMaxWait() {
        return poolMaxWait;
    }

    /**
     * How long a send waits for a free connection before it fails with a transient error.
     */
    public void setPoolMaxWait(long poolMaxWait) {
        this.poolMaxWait = poolMaxWait;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    /**
     * A pooled connection unused for this long is closed in the background, before the server drops it.
     */
    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public long getMaxLifetime() {
        return maxLifetime;
    }

    /**
     * A connection older than this is closed instead of reused, so DNS and certificate changes are picked up.
     */
    public void setMaxLifetime(long maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    public int getMaxMessagesPerConnection() {
        return maxMessagesPerConnection;
    }

    /**
     * Close a connection after it carried this many messages, for servers that limit messages per session;
     * 0 means no limit.
     */
    public void setMaxMessagesPerConnection(int maxMessagesPerConnection) {
        this.maxMessagesPerConnection = maxMessagesPerConnection;
    }

    public long getValidateAfterIdle() {
        return validateAfterIdle;
    }

    /**
     * A pooled connection idle for longer than this is checked with RSET before reuse; one used more recently is
     * trusted, which saves a round trip per message.
     */
    public void setValidateAfterIdle(long validateAfterIdle) {
        this.validateAfterIdle = validateAfterIdle;
    }

    public String getHeloName() {
        return heloName;
    }

    /**
     * The name announced in EHLO/HELO; defaults to the local host name.
     */
    public void setHeloName(String heloName) {
        this.heloName = heloName;
    }

    public boolean isLazyStart() {
        return lazyStart;
    }

    /**
     * When false the producer opens one connection as it starts, so a wrong host, password or certificate fails the
     * route at startup rather than on the first message; set true where the server may be down at startup.
     */
    public void setLazyStart(boolean lazyStart) {
        this.lazyStart = lazyStart;
    }

    public boolean isPipelining() {
        return pipelining;
    }

    /**
     * Whether to send MAIL FROM, every RCPT TO and DATA in one flight (RFC 2920) when the server advertises
     * PIPELINING: one round trip instead of two plus one per recipient, which is most of a message's time to a
     * distant relay. Every reply is still mapped to its own command and recipient. Set false for a server that
     * advertises PIPELINING but mishandles it.
     */
    public void setPipelining(boolean pipelining) {
        this.pipelining = pipelining;
    }

    public boolean isChunking() {
        return chunking;
    }

    /**
     * Whether to send a message of up to 256 KB with BDAT (RFC 3030) inside the pipelined flight when the server
     * advertises CHUNKING and PIPELINING: the whole transaction in one round trip, the body without waiting for 354.
     * The body then leaves before the recipients are answered (a server that refuses them all discards it). Larger
     * or streamed messages use pipelined DATA.
     */
    public void setChunking(boolean chunking) {
        this.chunking = chunking;
    }

    public String getHealthCheckVrfy() {
        return healthCheckVrfy;
    }

    /**
     * An address (e.g. the sender) the server's health check asks about with VRFY after connecting; the answer is
     * reported in the check's details. Empty means no VRFY.
     */
    public void setHealthCheckVrfy(String healthCheckVrfy) {
        this.healthCheckVrfy = healthCheckVrfy;
    }

    public boolean isHealthCheckVrfyRequired() {
        return healthCheckVrfyRequired;
    }

    /**
     * Whether a VRFY answer other than 250/251/252 marks the server down; by default it is only reported, since
     * many servers disable VRFY (502) or refuse it (550).
     */
    public void setHealthCheckVrfyRequired(boolean healthCheckVrfyRequired) {
        this.healthCheckVrfyRequired = healthCheckVrfyRequired;
    }

    public long getHealthCheckCacheTime() {
        return healthCheckCacheTime;
    }

    /**
     * How long the server's health check reuses its last connectivity result before connecting again, so frequent
     * health polling does not hammer the server.
     */
    public void setHealthCheckCacheTime(long healthCheckCacheTime) {
        this.healthCheckCacheTime = healthCheckCacheTime;
    }

    /**
     * The encryption actually used: the explicit option, else what the port conventionally means.
     */
    SmtpEncryption resolvedEncryption() {
        if (encryption == null || encryption.isBlank()) {
            return port == 587 ? SmtpEncryption.STARTTLS : port == 465 ? SmtpEncryption.SSL : SmtpEncryption.NONE;
        }
        return SmtpEncryption.valueOf(encryption.trim().toUpperCase(Locale.ROOT));
    }

    public SmtpPoolConfiguration copy() {
        try {
            return (SmtpPoolConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
