package io.mailbus.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.mailbus.db.Database;
import io.mailbus.status.StatusEvent;
import io.mailbus.status.StatusRecorder;
import io.mailbus.status.StatusStore;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status recorder on a real Artemis topic and a real PostgreSQL: what it writes to {@code message_events}
 * after the failures that happen to it in production (a crash between its two commits, an event it cannot read,
 * a broker restart), with hundreds of events so that batches really form.
 */
class StatusRecorderIT {

    private static final int EVENTS = 600;

    private HikariDataSource db;
    private ActiveMQConnectionFactory factory;
    private String topic;
    private final List<StatusRecorder> recorders = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        db = Database.open(TestBrokers.newDatabase(), "postgres", "", 4);
        factory = new ActiveMQConnectionFactory(TestBrokers.artemis().url());
        topic = "status.it." + System.nanoTime();
    }

    @AfterEach
    void stop() throws Exception {
        for (StatusRecorder r : recorders) {
            r.stop();
        }
        factory.close();
        db.close();
    }

    private StatusRecorder recorder(StatusStore store) {
        return recorder(store, 2);
    }

    private StatusRecorder recorder(StatusStore store, int consumers) {
        StatusRecorder r = new StatusRecorder(factory, topic, topic, consumers, 200, store, e -> { });
        recorders.add(r);
        r.start();
        return r;
    }

    @Test
    void aBatchDeliveredAgainAfterTheDatabaseCommittedIsRecordedOnce() throws Exception {
        // the third batch is written and committed, then the recorder fails before the broker commit: the crash
        // between the two commits. The broker delivers those events again; the store must not record them twice.
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger eventsSeen = new AtomicInteger();
        StatusStore real = StatusStore.postgres(db);
        recorder(new Delegating(real) {
            @Override
            public void record(List<StatusEvent> events) {
                real.record(events);
                eventsSeen.addAndGet(events.size());
                if (calls.incrementAndGet() == 3) {
                    throw new IllegalStateException("crash after the database commit");
                }
            }
        });
        publish(0, EVENTS);

        // the failed batch comes again (more events seen than published)
        await().atMost(Duration.ofSeconds(60)).until(() -> rows() == EVENTS && eventsSeen.get() > EVENTS);
        assertThat(rows()).isEqualTo(EVENTS);
        assertThat(distinctRequests()).isEqualTo(EVENTS);
        // in batches, not an insert per event
        assertThat(calls.get()).isLessThan(EVENTS / 2);
    }

    @Test
    void anUnreadableEventIsSkippedAndTheRestOfItsBatchRecorded() throws Exception {
        recorder(StatusStore.postgres(db));
        try (Connection c = factory.createConnection(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createTopic(topic));
            p.send(s.createTextMessage("not json"));
            p.send(s.createTextMessage("{\"event\": \"queued\"}"));
            p.send(s.createBytesMessage());
        }
        publish(0, 50);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 50);
    }

    @Test
    void anEventTheDatabaseRefusesIsSkippedWithoutTakingItsBatchDown() throws Exception {
        // PostgreSQL refuses a NUL character in text (SQLSTATE 22021): valid JSON, an event no retry can record.
        // One consumer, so that no other consumer can take the rest while this one's batch goes back and forth
        recorder(StatusStore.postgres(db), 1);
        try (Connection c = factory.createConnection(); Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer p = s.createProducer(s.createTopic(topic));
            p.send(s.createTextMessage("""
                    {"event":"queued","id":"req-\\u0000-nul","attempt":1,"timestamp":"2026-12-01T10:00:00Z"}"""));
            s.commit();
        }
        publish(0, EVENTS);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows() == EVENTS);
        // and the subscription is not stuck behind it: later events are recorded too
        publish(EVENTS, 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == EVENTS + 10);
    }

    @Test
    void eventsPublishedWhileNoRecorderRunsAreRecordedWhenOneStarts() throws Exception {
        StatusRecorder first = recorder(StatusStore.postgres(db));
        first.stop(); // the subscription, created at start, outlives the recorder
        publish(0, EVENTS);
        assertThat(rows()).isZero();

        recorder(StatusStore.postgres(db));
        await().atMost(Duration.ofSeconds(60)).until(() -> rows() == EVENTS);
    }

    @Test
    void recordingSwitchedOffElsewhereLeavesASubscriptionInUseAndRemovesAnIdleOne() throws Exception {
        // a subscription name without dots, as the shipped mailbus-status: Artemis escapes dots in the queue's name
        String subscription = topic.replace('.', '-');
        StatusRecorder running = new StatusRecorder(factory, topic, subscription, 2, 200, StatusStore.postgres(db),
                e -> { });
        recorders.add(running);
        running.start();
        // another instance with mailbus.status.consumers=0 starts while this one records: Artemis refuses to delete
        StatusRecorder.unsubscribe(factory, subscription);
        assertThat(queueExists(subscription)).isTrue();
        publish(0, 20);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 20);

        running.stop();
        StatusRecorder.unsubscribe(factory, subscription);
        assertThat(queueExists(subscription)).isFalse();
        StatusRecorder.unsubscribe(factory, subscription); // none left: nothing to do, no error
    }

    private static boolean queueExists(String name) throws Exception {
        return TestBrokers.artemis().broker().getActiveMQServer()
                .locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(name)) != null;
    }

    @Test
    void theRecorderReconnectsAfterTheBrokerRestarts() throws Exception {
        recorder(StatusStore.postgres(db));
        publish(0, 100);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 100);

        TestBrokers.stopArtemis();
        TestBrokers.startArtemisAgain();
        // the subscription is durable: events published while the recorder reconnects wait in it
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            publish(100, 100);
            return true;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> rows() == 200);
    }

    /** Events as EventPublisher sends them: one request each, so every row is told apart by its request id. */
    private void publish(int from, int count) throws Exception {
        try (Connection c = factory.createConnection(); Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer p = s.createProducer(s.createTopic(topic));
            Instant at = Instant.parse("2026-12-01T10:00:00Z");
            for (int i = from; i < from + count; i++) {
                p.send(s.createTextMessage("""
                        {"event":"queued","id":"req-%d","ingress":"jms","attempt":1,"timestamp":"%s",\
                        "recipients":[{"address":"kim@example.com","status":"pending"}]}"""
                        .formatted(i, at.plusMillis(i))));
            }
            s.commit();
        }
    }

    private int rows() throws Exception {
        return count("SELECT count(*) FROM message_events");
    }

    private int distinctRequests() throws Exception {
        return count("SELECT count(DISTINCT request_id) FROM message_events");
    }

    private int count(String sql) throws Exception {
        try (var c = db.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private abstract static class Delegating implements StatusStore {
        private final StatusStore store;

        Delegating(StatusStore store) {
            this.store = store;
        }

        @Override
        public void claim(String requestId, String owner) {
            store.claim(requestId, owner);
        }

        @Override
        public java.util.Optional<List<String>> history(String requestId, String owner, String tenant) {
            return store.history(requestId, owner, tenant);
        }
    }
}
