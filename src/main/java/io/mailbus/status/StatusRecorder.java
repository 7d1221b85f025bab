package io.mailbus.status;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the status events of {@code email.events} into the status store, in batches: each consumer takes what
 * the broker has ready (up to {@code batchSize} events), records them in one database transaction and only then
 * commits their receipt in one JMS transaction. One event per transaction, as a Camel route consumes, cost two disk
 * syncs per event (the broker's commit, PostgreSQL's) and a Camel exchange each — in CPU about 40 % of the
 * delivery of the message the events report on. Camel's JMS consumer cannot receive a batch in one transaction,
 * hence this small loop, on plain JMS.
 *
 * <p>Nothing recordable is lost and nothing is recorded twice: a crash between the two commits delivers the batch
 * again, and the store ignores events it already has; only an event that cannot be read, or that the database
 * refuses whatever the retry (SQLSTATE class 22 or 23), is skipped, with a warning. The subscription is shared and
 * durable, so every instance reads the one subscription (each event recorded once) and events wait in it while no
 * instance runs. It is created when the recorder starts, before any ingress route, so that no event of this run is
 * published before it exists.
 */
public final class StatusRecorder extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StatusRecorder.class);
    /** How long a consumer waits for the next event of a batch already begun; the broker's prefetch answers sooner. */
    private static final long BATCH_WAIT_MS = 5;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final ConnectionFactory factory;
    private final String topic;
    private final String subscription;
    private final int consumers;
    private final int batchSize;
    private final StatusStore store;
    private final Consumer<StatusEvent> alsoRead;
    private volatile boolean running;
    private volatile Connection connection;
    private CountDownLatch stopped;

    /**
     * @param alsoRead told of each event once its batch is recorded (the hard bounces onto the suppression list);
     *                 a failure there rolls the batch back like a failure of the store
     */
    public StatusRecorder(ConnectionFactory factory, String topic, String subscription, int consumers, int batchSize,
                          StatusStore store, Consumer<StatusEvent> alsoRead) {
        if (consumers < 1 || batchSize < 1) {
            throw new IllegalArgumentException("mailbus.status.consumers and .batch-size must be at least 1 "
                                               + "(consumers 0: recording off, no recorder)");
        }
        this.factory = factory;
        this.topic = topic;
        this.subscription = subscription;
        this.consumers = consumers;
        this.batchSize = batchSize;
        this.store = store;
        this.alsoRead = alsoRead;
    }

    /**
     * Status recording switched off ({@code mailbus.status.consumers=0}): removes the subscription an earlier run
     * created, or every event would wait in it for a recorder that never comes, until the broker's disk is full. It
     * stays, with a warning, while another instance still records through it.
     */
    public static void unsubscribe(ConnectionFactory factory, String subscription) throws JMSException {
        try (Connection c = factory.createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.unsubscribe(subscription);
        } catch (InvalidDestinationException none) {
            // no subscription: nothing to remove
        } catch (jakarta.jms.IllegalStateException inUse) {
            LOG.warn("Status recording is off here, but another instance still records through subscription {}: "
                     + "it stays", subscription);
        }
    }

    @Override
    protected void doStart() {
        running = true;
        stopped = new CountDownLatch(consumers);
        // the subscription exists once this returns, unless the broker cannot be reached (then the consumers retry)
        try {
            connection();
        } catch (JMSException e) {
            LOG.warn("Status recorder: not subscribed at start, retrying: {}", e.toString());
        }
        for (int i = 0; i < consumers; i++) {
            Thread t = new Thread(this::consume, "mailbus-status-recorder-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        // a consumer waits at most a second in receive; then it rolls back what it has not recorded
        stopped.await(10, TimeUnit.SECONDS);
        closeConnection(connection);
        connection = null;
    }

    /** The shared connection, opened (and the subscription created) on first use and after a failure. */
    private synchronized Connection connection() throws JMSException {
        Connection c = connection;
        if (c == null) {
            c = factory.createConnection();
            try {
                Connection opened = c;
                // a failed connection is closed at once: its consumers' receive then throws, and they reconnect
                c.setExceptionListener(e -> {
                    LOG.warn("Status recorder: connection failed: {}", e.toString());
                    reset(opened);
                });
                // one consumer created here at once, so the subscription exists before this method returns
                try (Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
                    s.createSharedDurableConsumer(s.createTopic(topic), subscription).close();
                }
                c.start();
            } catch (JMSException | RuntimeException e) {
                closeConnection(c);
                throw e;
            }
            connection = c;
        }
        return c;
    }

    private synchronized void reset(Connection failed) {
        if (connection == failed) {
            closeConnection(failed);
            connection = null;
        }
    }

    private void consume() {
        long backoff = 500;
        try {
            while (running) {
                Connection c = null;
                try {
                    c = connection();
                    try (Session session = c.createSession(true, Session.SESSION_TRANSACTED)) {
                        Topic t = session.createTopic(topic);
                        try (MessageConsumer consumer = session.createSharedDurableConsumer(t, subscription)) {
                            backoff = 500;
                            while (running) {
                                recordBatch(session, consumer);
                            }
                        }
                    }
                } catch (JMSException e) {
                    if (!running) {
                        break;
                    }
                    LOG.warn("Status recorder: broker connection or subscription failed, again in {} ms: {}", backoff,
                            e.toString());
                    reset(c);
                    backoff = sleep(backoff);
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    // the batch was rolled back and comes again (the store failed, e.g. the database is down)
                    LOG.warn("Status recorder: events not recorded, trying again in {} ms: {}", backoff, describe(e));
                    backoff = sleep(backoff);
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    /** One batch: received, recorded, committed; anything thrown rolls the receipt back (the session closes). */
    private void recordBatch(Session session, MessageConsumer consumer) throws JMSException {
        Message first = consumer.receive(1000);
        if (first == null) {
            return;
        }
        List<StatusEvent> events = new ArrayList<>(Math.min(batchSize, 64));
        read(first, events);
        for (int n = 1; n < batchSize && running; n++) {
            Message next = consumer.receive(BATCH_WAIT_MS);
            if (next == null) {
                break;
            }
            read(next, events);
        }
        try {
            record(events);
            events.forEach(alsoRead);
        } catch (RuntimeException e) {
            session.rollback();
            throw e;
        }
        session.commit();
    }

    /**
     * The batch in one transaction; if the database refuses its data (not a failure of the database itself), each
     * event on its own, so that one event it can never take (a NUL character, a value too long) is skipped with a
     * warning instead of sending its whole batch back until the broker gives up on all of them.
     */
    private void record(List<StatusEvent> events) {
        try {
            store.record(events);
        } catch (RuntimeException e) {
            if (refusedData(e) == null) {
                throw e;
            }
            for (StatusEvent event : events) {
                try {
                    store.record(List.of(event));
                } catch (RuntimeException one) {
                    String state = refusedData(one);
                    if (state == null) {
                        throw one;
                    }
                    // the SQLSTATE only: the driver's message quotes the values, control characters included
                    LOG.warn("Status event {} of request {} not recorded, the database refuses it (SQLSTATE {})",
                            event.name(), event.requestId().replaceAll("\\p{Cntrl}", "?"), state);
                }
            }
        }
    }

    /** A failure for the log: a database error by its SQLSTATE only (the driver's message quotes the events). */
    private static String describe(Throwable e) {
        return sqlCauses(e).findFirst()
                .map(sql -> sql.getClass().getSimpleName() + " (SQLSTATE " + sql.getSQLState() + ")")
                .orElseGet(() -> String.valueOf(e.getCause() == null ? e : e.getCause()));
    }

    /**
     * The SQLSTATE when it is of class 22 (data exception) or 23 (integrity constraint): this data, not the database,
     * is at fault; null otherwise.
     */
    private static String refusedData(Throwable e) {
        return sqlCauses(e).map(SQLException::getSQLState)
                .filter(state -> state != null && (state.startsWith("22") || state.startsWith("23")))
                .findFirst().orElse(null);
    }

    /** The SQL exceptions in the chain of causes, outermost first. */
    private static Stream<SQLException> sqlCauses(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause)
                .filter(SQLException.class::isInstance).map(SQLException.class::cast);
    }

    private static void read(Message message, List<StatusEvent> events) throws JMSException {
        String text = message instanceof TextMessage tm ? tm.getText() : null;
        if (text == null) {
            LOG.warn("Status event not recorded: not a text message ({})", message.getJMSMessageID());
            return;
        }
        try {
            events.add(StatusEvent.parse(text));
        } catch (IllegalArgumentException e) {
            LOG.warn("Status event not recorded: {}", e.getMessage());
        }
    }

    private long sleep(long backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return Math.min(backoff * 2, MAX_BACKOFF.toMillis());
    }

    private static void closeConnection(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (JMSException | RuntimeException e) {
                LOG.debug("Status recorder: closing the connection: {}", e.toString());
            }
        }
    }
}
