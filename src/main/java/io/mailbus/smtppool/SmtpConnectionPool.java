package io.mailbus.smtppool;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * The connections to one server, shared by every endpoint that names it. Commons Pool enforces the cap under any
 * number of threads; this class adds the SMTP rules on top: a broken connection is destroyed, never returned, and
 * a connection that reached its message or age limit is closed with QUIT when it comes back.
 */
final class SmtpConnectionPool implements AutoCloseable {

    private final ServerKey key;
    private final SmtpPoolConfiguration cfg;
    private final SmtpConnectionFactory factory;
    private final IdleOrAgeEvictionPolicy retirement;
    private final GenericObjectPool<SmtpConnection> pool;
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong invalidated = new AtomicLong();

    SmtpConnectionPool(ServerKey key, SmtpPoolConfiguration cfg, CamelContext context) {
        this.key = key;
        this.cfg = cfg;
        this.retirement = new IdleOrAgeEvictionPolicy(cfg.getIdleTimeout(), cfg.getMaxLifetime());
        this.factory = new SmtpConnectionFactory(cfg, SmtpSessions.create(cfg, context), retirement);
        GenericObjectPoolConfig<SmtpConnection> pc = new GenericObjectPoolConfig<>();
        pc.setMaxTotal(cfg.getPoolMaxTotal());
        pc.setMaxIdle(cfg.getPoolMaxTotal());
        pc.setMinIdle(0);
        pc.setLifo(true);
        pc.setBlockWhenExhausted(true);
        pc.setMaxWait(Duration.ofMillis(cfg.getPoolMaxWait()));
        pc.setTestOnBorrow(true);
        pc.setTestWhileIdle(false);
        pc.setJmxEnabled(false);
        pc.setNumTestsPerEvictionRun(-1);
        pc.setTimeBetweenEvictionRuns(Duration.ofMillis(evictionInterval(cfg)));
        this.pool = new GenericObjectPool<>(factory, pc);
        this.pool.setEvictionPolicy(retirement);
    }

    /** Often enough that idle and over-age connections go within about half their limit. */
    private static long evictionInterval(SmtpPoolConfiguration cfg) {
        long shortest = cfg.getMaxLifetime() > 0 ? Math.min(cfg.getIdleTimeout(), cfg.getMaxLifetime())
                : cfg.getIdleTimeout();
        return Math.max(50, Math.min(30_000, shortest / 2));
    }

    ServerKey key() {
        return key;
    }

    SmtpConnection borrow() throws SmtpDeliveryException {
        try {
            return countReuse(pool.borrowObject(Duration.ofMillis(cfg.getPoolMaxWait())));
        } catch (SmtpDeliveryException e) {
            throw e;
        } catch (NoSuchElementException e) {
            throw new SmtpPoolExhaustedException(key.toString(), cfg.getPoolMaxWait(), e);
        } catch (Exception e) {
            throw cannotOpen(e);
        }
    }

    private SmtpConnection countReuse(SmtpConnection c) {
        if (c.messagesSent() > 0) {
            reused.incrementAndGet();
        }
        return c;
    }

    private SmtpTransientException cannotOpen(Exception e) {
        return new SmtpTransientException("Cannot open a connection to " + key, SmtpReply.none("CONNECT"), null, e);
    }

    /** A connection if one is idle or may still be opened, null when all are busy; never waits for one. */
    SmtpConnection tryBorrow() throws SmtpDeliveryException {
        try {
            return countReuse(pool.borrowObject(Duration.ZERO));
        } catch (NoSuchElementException e) {
            return null;
        } catch (SmtpDeliveryException e) {
            throw e;
        } catch (Exception e) {
            throw cannotOpen(e);
        }
    }

    /** Gives a connection back; a broken one or one past its limits is closed instead. */
    void release(SmtpConnection c, boolean broken) {
        try {
            if (broken) {
                invalidated.incrementAndGet();
                pool.invalidateObject(c);
            } else if (isSpent(c)) {
                pool.invalidateObject(c);
            } else {
                pool.returnObject(c);
            }
        } catch (Exception e) {
            c.close();
        }
    }

    private boolean isSpent(SmtpConnection c) {
        int max = cfg.getMaxMessagesPerConnection();
        return (max > 0 && c.messagesSent() >= max) || retirement.isOverAge(c);
    }

    /** Opens one connection outside the pool (connect, EHLO, STARTTLS, AUTH) and closes it with QUIT. */
    void checkConnectivity() throws SmtpDeliveryException {
        factory.create().close();
    }

    SmtpPoolStatistics statistics() {
        return new SmtpPoolStatistics(key.toString(), pool.getCreatedCount(), reused.get(), pool.getBorrowedCount(),
                                      invalidated.get(), pool.getDestroyedByEvictorCount(), pool.getDestroyedCount(),
                                      pool.getNumActive(), pool.getNumIdle(), pool.getNumWaiters(),
                                      pool.getMeanBorrowWaitDuration().toMillis(),
                                      pool.getMaxBorrowWaitDuration().toMillis());
    }

    @Override
    public void close() {
        pool.close();
    }
}
