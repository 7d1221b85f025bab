package io.mailbus.it;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the test Kafka says about a consumer group through its {@link Admin} API, as an operator would check
 * it: the group's committed offsets and its topic's end offsets, by partition.
 */
final class GroupOffsets implements AutoCloseable {

    private final Admin admin;

    GroupOffsets() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBrokers.kafka().bootstrapServers()));
    }

    void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    /** The group's committed offset of every partition it has committed on (none: an empty map). */
    Map<Integer, Long> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<Integer, Long> byPartition = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                byPartition.put(tp.partition(), o.offset());
            }
        });
        return byPartition;
    }

    /** The end offset (the next offset to be written) of each of the topic's partitions. */
    Map<Integer, Long> ends(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
    }

    ConsumerGroupDescription describe(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    }

    @Override
    public void close() {
        admin.close();
    }
}
