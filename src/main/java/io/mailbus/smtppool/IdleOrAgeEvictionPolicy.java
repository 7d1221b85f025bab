package io.mailbus.smtppool;

import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.EvictionConfig;
import org.apache.commons.pool2.impl.EvictionPolicy;

/**
 * Closes an idle connection before the server's own idle timer does (which would cost the next send a failed
 * attempt) and retires connections past their maximum age.
 */
final class IdleOrAgeEvictionPolicy implements EvictionPolicy<SmtpConnection> {

    private final long idleTimeoutMillis;
    private final long maxLifetimeMillis;

    IdleOrAgeEvictionPolicy(long idleTimeoutMillis, long maxLifetimeMillis) {
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.maxLifetimeMillis = maxLifetimeMillis;
    }

    @Override
    public boolean evict(EvictionConfig config, PooledObject<SmtpConnection> underTest, int idleCount) {
        SmtpConnection c = underTest.getObject();
        return c.idleMillis() >= idleTimeoutMillis || isOverAge(c);
    }

    boolean isOverAge(SmtpConnection c) {
        return maxLifetimeMillis > 0 && c.ageMillis() >= maxLifetimeMillis;
    }
}
