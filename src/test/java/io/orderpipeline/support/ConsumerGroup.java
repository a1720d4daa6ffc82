package io.orderpipeline.support;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A sink's consumer group on one topic, as the broker sees it: what it has committed and who owns which partition. */
public final class ConsumerGroup {

    private final String brokers;
    private final String group;
    private final String topic;

    public ConsumerGroup(String brokers, String group, String topic) {
        this.brokers = brokers;
        this.group = group;
        this.topic = topic;
    }

    /** Records of the topic the group has not committed (all of them before its first commit). */
    public long lag() {
        return ask("the lag of", admin -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            var ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
            long lag = 0;
            for (TopicPartition p : partitions) {
                OffsetAndMetadata c = committed.get(p);
                lag += ends.get(p).offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        });
    }

    /** The group's committed offset of each partition of the topic that has one. */
    public Map<Integer, Long> committed() {
        return ask("the offsets of", admin -> {
            Map<Integer, Long> offsets = new TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((p, o) -> {
                if (p.topic().equals(topic) && o != null) {
                    offsets.put(p.partition(), o.offset());
                }
            });
            return offsets;
        });
    }

    /** The topic's partitions each member of the group owns now, by member id (empty members included). */
    public Map<String, Set<Integer>> assignments() {
        return ask("the members of", admin -> {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            Map<String, Set<Integer>> owned = new TreeMap<>();
            description.members().forEach(m -> owned.put(m.consumerId(), m.assignment().topicPartitions().stream()
                    .filter(p -> p.topic().equals(topic)).map(TopicPartition::partition)
                    .collect(Collectors.toCollection(TreeSet::new))));
            return owned;
        });
    }

    private interface AdminCall<T> {
        T call(Admin admin) throws ExecutionException, InterruptedException;
    }

    private <T> T ask(String what, AdminCall<T> call) {
        try (Admin admin = admin()) {
            return call.call(admin);
        } catch (ExecutionException e) {
            throw new AssertionError("could not read " + what + " " + group + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Admin admin() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return Admin.create(config);
    }
}
