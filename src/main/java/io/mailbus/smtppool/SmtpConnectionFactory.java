package io.mailbus.smtppool;

import java.util.concurrent.ScheduledExecutorService;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.DestroyMode;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;

/**
 * Opens, checks and closes SMTP sessions for one server. It refuses to open one that would authenticate over
 * encryption=none unless allowPlaintextAuth says so. With a username set, a server that does not offer AUTH
 * (Postfix with AUTH disabled, or offered only after STARTTLS) is a configuration failure: Angus Mail would
 * connect unauthenticated and the server would refuse the recipients as relaying, as if the message were at fault. A connection used recently is trusted without a round
 * trip; one idle longer than validateAfterIdle is checked with RSET, because servers drop idle sessions silently.
 */
final class SmtpConnectionFactory extends BasePooledObjectFactory<SmtpConnection> {

    private final SmtpPoolConfiguration cfg;
    private final Session session;
    private final IdleOrAgeEvictionPolicy retirement;
    private final ScheduledExecutorService timer;

    /** {@code timer} closes the socket of a reply that is late as a whole (see {@link TrackingSmtpTransport}). */
    SmtpConnectionFactory(SmtpPoolConfiguration cfg, Session session, IdleOrAgeEvictionPolicy retirement,
                          ScheduledExecutorService timer) {
        this.cfg = cfg;
        this.session = session;
        this.retirement = retirement;
        this.timer = timer;
    }

    @Override
    public SmtpConnection create() throws SmtpDeliveryException {
        String plaintextAuth = cfg.plaintextAuthRefusal();
        if (plaintextAuth != null) { // before connecting: not even the username goes out
            throw new SmtpConfigurationException(plaintextAuth, SmtpReply.none("AUTH"), null);
        }
        // Angus authenticates whenever user and password are non-null, even when empty
        boolean auth = cfg.authenticates();
        String secret = auth ? secret() : null; // before connecting: no connection waits on the identity provider
        TrackingSmtpTransport transport = new TrackingSmtpTransport(session, cfg.resolvedEncryption() == SmtpEncryption.SSL,
                                                                    cfg.getReadTimeout(), cfg.getDataEndTimeout(),
                                                                    timer, cfg.isPipelining(), cfg.isChunking());
        try {
            transport.connect(cfg.getHost(), cfg.getPort(), auth ? cfg.getUsername() : null, secret);
            if (auth && !transport.supportsExtension("AUTH") && !transport.supportsExtension("AUTH=LOGIN")) {
                new SmtpConnection(transport).close();
                throw new SmtpAuthenticationException("The server does not offer AUTH, so the configured user cannot "
                                                      + "log in; not sending unauthenticated",
                                                      SmtpReply.none("AUTH"), null);
            }
            return new SmtpConnection(transport);
        } catch (MessagingException | RuntimeException e) {
            SmtpDeliveryException failure = SmtpFailures.map(e, transport);
            new SmtpConnection(transport).close();
            throw failure;
        }
    }

    /**
     * The token supplier is asked on every new connection so a refreshed OAuth token is picked up. A supplier that
     * cannot get one says which kind of failure it was ({@link OAuthTokenException}); any other exception from it is
     * taken as a set-up fault.
     */
    private String secret() throws SmtpDeliveryException {
        if (cfg.getOauthTokenSupplier() == null) {
            return cfg.getPassword();
        }
        try {
            return cfg.getOauthTokenSupplier().get();
        } catch (OAuthTokenException e) {
            if (e.isTransient()) {
                throw new SmtpTransientException("No OAuth token for now: " + e.getMessage(), SmtpReply.none("AUTH"),
                                                 null, e);
            }
            throw new SmtpAuthenticationException("No OAuth token: " + e.getMessage(), SmtpReply.none("AUTH"), e);
        } catch (RuntimeException e) {
            throw new SmtpAuthenticationException("The OAuth token supplier failed: " + e, SmtpReply.none("AUTH"), e);
        }
    }

    @Override
    public PooledObject<SmtpConnection> wrap(SmtpConnection connection) {
        return new DefaultPooledObject<>(connection);
    }

    @Override
    public boolean validateObject(PooledObject<SmtpConnection> p) {
        SmtpConnection c = p.getObject();
        if (retirement.isOverAge(c)) {
            return false;
        }
        boolean recentlyUsed = c.idleNanos() <= cfg.getValidateAfterIdle() * 1_000_000L;
        return recentlyUsed || c.transport().isConnected();
    }

    @Override
    public void passivateObject(PooledObject<SmtpConnection> p) {
        p.getObject().markIdle();
    }

    @Override
    public void destroyObject(PooledObject<SmtpConnection> p, DestroyMode mode) {
        p.getObject().close();
    }
}
