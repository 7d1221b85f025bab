package io.mailbus.smtppool;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.MessagingException;
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
    private final AtomicLong borrowAttempts = new AtomicLong();
    private final AtomicLong borrowWaitNanos = new AtomicLong();
    private final AdaptiveConcurrency concurrency;
    private volatile SmtpConfigurationException refusedSetup;

    SmtpConnectionPool(ServerKey key, SmtpPoolConfiguration cfg, CamelContext context,
                       ScheduledExecutorService writeTimeouts) {
        this.key = key;
        this.cfg = cfg;
        this.retirement = new IdleOrAgeEvictionPolicy(cfg.getIdleTimeout(), cfg.getMaxLifetime());
        this.factory = new SmtpConnectionFactory(cfg, SmtpSessions.create(cfg, context, writeTimeouts), retirement,
                                                 writeTimeouts);
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
        this.concurrency = new AdaptiveConcurrency(cfg.getPoolMaxTotal(), this::limitTo);
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
        long start = System.nanoTime();
        try {
            return countReuse(pool.borrowObject(Duration.ofMillis(cfg.getPoolMaxWait())));
        } catch (SmtpDeliveryException e) {
            if (AdaptiveConcurrency.isTooManyConnections(e)) {
                concurrency.refused(pool.getNumActive() + pool.getNumIdle());
            }
            throw e;
        } catch (NoSuchElementException e) {
            throw new SmtpPoolExhaustedException(key.toString(), cfg.getPoolMaxWait(), e);
        } catch (Exception e) {
            throw cannotOpen(e);
        } finally {
            countWait(start);
        }
    }

    /** Time spent in borrow, including opening a new connection, for the wait-time metric. */
    private void countWait(long start) {
        borrowAttempts.incrementAndGet();
        borrowWaitNanos.addAndGet(System.nanoTime() - start);
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

    /** Gives a connection back; a broken one or one past its limits is closed instead. */
    void release(SmtpConnection c, boolean broken) {
        try {
            if (broken) {
                invalidated.incrementAndGet();
                pool.invalidateObject(c);
            } else if (isSpent(c)) {
                pool.invalidateObject(c);
            } else {
                concurrency.healthy();
                pool.returnObject(c);
            }
        } catch (Exception e) {
            c.close();
        }
    }

    private void limitTo(int max) {
        pool.setMaxTotal(max);
        pool.setMaxIdle(max);
    }

    private boolean isSpent(SmtpConnection c) {
        int max = cfg.getMaxMessagesPerConnection();
        return (max > 0 && c.messagesSent() >= max) || retirement.isOverAge(c);
    }

    /**
     * Opens one connection outside the pool (connect, EHLO, STARTTLS, AUTH), asks VRFY about healthCheckVrfy when it
     * is set, and closes it with QUIT; returns the VRFY reply, or null when none was asked.
     */
    SmtpReply probe() throws SmtpDeliveryException {
        SmtpConnection c = factory.create();
        try {
            String address = cfg.getHealthCheckVrfy();
            if (address == null || address.isBlank()) {
                return null;
            }
            int code = c.transport().simpleCommand("VRFY " + address.trim());
            return SmtpReply.of("VRFY", code, c.transport().getLastServerResponse());
        } catch (MessagingException | RuntimeException e) {
            throw SmtpFailures.map(e, c.transport());
        } finally {
            c.close();
        }
    }

    /** A send the server accepted: whatever it refused of our set-up before is fixed now. */
    void accepted() {
        refusedSetup = null;
    }

    /**
     * A send that failed; one refusing our set-up is remembered until a send is accepted again. One saying we hold
     * too many connections after the connection was made (432 4.3.2 at MAIL FROM) lowers the limit below the
     * connections open, this one included; at CONNECT, {@link #borrow} has done so already.
     */
    void failed(SmtpDeliveryException e) {
        if (e instanceof SmtpConfigurationException c) {
            refusedSetup = c;
        }
        if (!"CONNECT".equals(e.getCommand()) && AdaptiveConcurrency.isTooManyConnections(e)) {
            concurrency.refused(pool.getNumActive() + pool.getNumIdle() - 1);
        }
    }

    /**
     * The last refusal of our set-up (530 STARTTLS or authentication required, 535, a 5xx greeting, an untrusted
     * certificate) not followed by an accepted send; null when there is none. A probe that connects, greets and logs
     * in does not see a refusal that comes at MAIL FROM, so readiness asks this too.
     */
    SmtpConfigurationException refusedSetup() {
        return refusedSetup;
    }

    SmtpPoolConfiguration configuration() {
        return cfg;
    }

    SmtpPoolStatistics statistics() {
        return new SmtpPoolStatistics(key.toString(), pool.getCreatedCount(), reused.get(), pool.getBorrowedCount(),
                                      invalidated.get(), pool.getDestroyedByEvictorCount(), pool.getDestroyedCount(),
                                      pool.getNumActive(), pool.getNumIdle(), pool.getNumWaiters(),
                                      pool.getMeanBorrowWaitDuration().toMillis(),
                                      pool.getMaxBorrowWaitDuration().toMillis(), borrowAttempts.get(),
                                      borrowWaitNanos.get(), concurrency.effective());
    }

    @Override
    public void close() {
        pool.close();
    }
}
