package io.mailbus.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.jms.TextMessage;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins when the Kafka ingress commits: the offset of every record is committed once its outcome is recorded
 * (delivered, or durably on a JMS queue), as the consumer group's committed offsets seen through Kafka's
 * {@code Admin} show. So a restarted instance delivers nothing again, a stopped instance's partitions move to
 * another one that carries on where it stopped, and a record that reaches no outcome is neither committed nor
 * skipped. Copies are counted in GreenMail by subject; each test has its own topic and consumer group.
 */
class KafkaOffsetsIT {

    private static GroupOffsets kafka;

    @BeforeAll
    static void connect() throws Exception {
        kafka = new GroupOffsets();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void shouldCommitTheOffsetOfEveryRecordWhoseOutcomeIsRecorded() throws Exception {
        Flow flow = new Flow(3);
        int count = 500;
        try (InJvmApplication app = InJvmApplication.start("offsets", flow.settings())) {
            flow.deliver(50);
            long start = System.nanoTime();
            flow.send(count, 50);
            // an invalid request's outcome is email.invalid: its offset is committed once it is there
            String invalid = flow.sendInvalid(1);
            flow.awaitDelivered(50 + count);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("kafka ingress: %d records delivered in %.2f s = %.0f msgs/s (1 consumer, 3 partitions, "
                    + "after 50 to warm up)%n",
                    count, seconds, count / seconds);
            try (BusClient bus = new BusClient()) {
                TextMessage moved = bus.receive("email.invalid", invalid);
                assertThat(moved).isNotNull();
            }
            flow.awaitCommittedAtEnd();
        }
        assertThat(flow.duplicates()).isZero();
    }

    @Test
    void shouldDeliverNothingAgainAfterARestartWithTheSameGroup() throws Exception {
        Flow flow = new Flow(2);
        try (InJvmApplication first = InJvmApplication.start("before-restart", flow.settings())) {
            flow.deliver(60);
        }
        try (InJvmApplication second = InJvmApplication.start("after-restart", flow.settings())) {
            // a partition is read in order: once its marker is delivered, anything re-read before it was too
            flow.sendMarkers();
            flow.awaitMarkers();
            flow.awaitCommittedAtEnd();
        }
        System.out.printf("kafka restart: %d copies of 60 records, %d duplicates%n", flow.copies(), flow.duplicates());
        assertThat(flow.duplicates()).isZero();
    }

    @Test
    void shouldHandAStoppedInstancesPartitionsToTheOtherWithoutLosingOrRedeliveringRecords() throws Exception {
        Flow flow = new Flow(4);
        int count = 600;
        // what the stopped instance can have had in hand: 1 consumer × mailbus.kafka.max-poll-records (1 by default)
        int recordsInHand = 1;
        int atStop;
        try (InJvmApplication other = InJvmApplication.start("instance-b", flow.settings())) {
            InJvmApplication stopped = InJvmApplication.start("instance-a", flow.settings());
            try {
                flow.awaitMembers(2);
                flow.send(count);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(flow::distinct, n -> n >= count / 4);
            } finally {
                atStop = flow.distinct();
                stopped.close();
            }
            flow.awaitMembers(1);
            flow.awaitDelivered(count);
            flow.sendMarkers();
            flow.awaitMarkers();
            flow.awaitCommittedAtEnd();
        }
        System.out.printf("kafka rebalance: %d of %d delivered when one instance stopped, %d duplicates (bound %d)%n",
                atStop, count, flow.duplicates(), recordsInHand);
        assertThat(atStop).as("stopped mid-flow").isLessThan(count);
        assertThat(flow.distinctRecords()).isEqualTo(count);
        assertThat(flow.duplicates()).isBetween(0, recordsInHand);
    }

    @Test
    void shouldNeitherCommitNorSkipARecordThatReachedNoOutcome() throws Exception {
        Flow flow = new Flow(1);
        Map<String, String> broken = new HashMap<>(flow.settings());
        // an invalid request's outcome cannot be recorded: its destination refuses every message
        broken.put("mailbus.endpoint.invalid", "direct:nowhere?block=false");
        String invalid;
        try (InJvmApplication app = InJvmApplication.start("no-outcome", broken)) {
            flow.deliver(3);
            long failing = flow.endOffset(0);
            invalid = flow.sendInvalid(0);
            flow.send(3, 3);
            // the partition stops at the record: not committed, and the requests behind it wait
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> flow.committed(0) == failing && flow.distinct() == 3);
        }
        try (InJvmApplication fixed = InJvmApplication.start("outcome-fixed", flow.settings())) {
            flow.awaitDelivered(6);
            flow.awaitCommittedAtEnd();
        }
        try (BusClient bus = new BusClient()) {
            assertThat(bus.receive("email.invalid", invalid)).isNotNull();
        }
        assertThat(flow.duplicates()).isZero();
    }

    /** One test's topic, consumer group and requests, and what became of them. */
    private static final class Flow {
        private final String run = UUID.randomUUID().toString().substring(0, 8);
        private final String topic = "offsets-" + run;
        private final String group = "offsets-" + run;
        private final int partitions;
        private final Set<Integer> markers = new HashSet<>();

        Flow(int partitions) throws Exception {
            this.partitions = partitions;
            kafka.createTopic(topic, partitions);
        }

        Map<String, String> settings() {
            return Map.of(
                    "mailbus.kafka.topic", topic,
                    "mailbus.kafka.group-id", group,
                    "mailbus.kafka.consumers", "1",
                    "mailbus.kafka.session-timeout-ms", "6000");
        }

        /** Sends {@code count} requests and waits until all are delivered and their offsets committed. */
        void deliver(int count) throws Exception {
            send(count);
            awaitDelivered(count);
            awaitCommittedAtEnd();
        }

        void send(int count) throws Exception {
            send(count, 0);
        }

        /** Requests number {@code from} to {@code from + count - 1}, spread over the partitions in turn. */
        void send(int count, int from) throws Exception {
            try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
                for (int i = from; i < from + count; i++) {
                    producer.send(new ProducerRecord<>(topic, i % partitions, null, request("r" + i)));
                }
                producer.flush();
            }
        }

        /** An invalid request on a partition; returns a marker of its payload. */
        String sendInvalid(int partition) throws Exception {
            String marker = "invalid-" + run + "-" + UUID.randomUUID();
            try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
                producer.send(new ProducerRecord<>(topic, partition % partitions, null, """
                        {"to": ["not-an-address"], "subject": "%s", "text": "x"}
                        """.formatted(marker))).get();
            }
            return marker;
        }

        void sendMarkers() throws Exception {
            try (KafkaProducer<String, String> producer = TestBrokers.kafkaProducer()) {
                for (int p = 0; p < partitions; p++) {
                    producer.send(new ProducerRecord<>(topic, p, null, request("marker" + p)));
                    markers.add(p);
                }
                producer.flush();
            }
        }

        private String request(String name) {
            return """
                    {"to": ["offsets-%s@example.com"], "subject": "offsets %s %s", "text": "x"}
                    """.formatted(run, run, name);
        }

        void awaitDelivered(int count) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(this::distinctRecords, n -> n >= count);
        }

        void awaitMarkers() {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> markers.stream().allMatch(p -> subjects().contains("offsets " + run + " marker" + p)));
        }

        /** Every partition's committed offset is its end offset: nothing consumed is left uncommitted. */
        void awaitCommittedAtEnd() {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(committed()).isEqualTo(ends()));
        }

        /** Waits until the group has this many members and every partition is assigned to one of them. */
        void awaitMembers(int members) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                ConsumerGroupDescription g = kafka.describe(group);
                int assigned = g.members().stream().map(MemberDescription::assignment)
                        .mapToInt(a -> a.topicPartitions().size()).sum();
                return g.members().size() == members && assigned == partitions
                        && g.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }

        Map<Integer, Long> committed() throws Exception {
            return kafka.committed(group);
        }

        long committed(int partition) throws Exception {
            return committed().getOrDefault(partition, -1L);
        }

        Map<Integer, Long> ends() throws Exception {
            return kafka.ends(topic, partitions);
        }

        long endOffset(int partition) throws Exception {
            return ends().get(partition);
        }

        List<String> subjects() {
            return Mailboxes.subjectsStartingWith(TestBrokers.greenMail(), "offsets " + run + " ");
        }

        int distinct() {
            return new HashSet<>(subjects()).size();
        }

        /** The distinct requests delivered, markers left out. */
        int distinctRecords() {
            return (int) subjects().stream().filter(s -> !s.contains(" marker")).distinct().count();
        }

        int copies() {
            return subjects().size();
        }

        /** Copies beyond the first of each subject. */
        int duplicates() {
            Map<String, Long> bySubject = subjects().stream().collect(Collectors.groupingBy(Function.identity(),
                    Collectors.counting()));
            return (int) bySubject.values().stream().mapToLong(n -> n - 1).sum();
        }
    }
}
