package io.orderpipeline.platform.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records on the topic that the sink's consumer group has not committed yet: the sum over partitions of end offset
 * minus committed offset, as the broker sees it (the same figure kafka-consumer-groups.sh shows as LAG). Read at most
 * once per {@code maxAge}, so a scrape never waits on the broker more than once in a while.
 */
public class ConsumerLag extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
    private static final long QUERY_TIMEOUT_MS = 2000;

    private final Supplier<Admin> adminFactory;
    private final String topic;
    private final String group;
    private final long maxAgeNanos;
    private Admin admin;
    private double last = Double.NaN;
    private long readAt;

    public ConsumerLag(Supplier<Admin> adminFactory, String topic, String group, Duration maxAge) {
        this.adminFactory = adminFactory;
        this.topic = topic;
        this.group = group;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The current lag in records, or NaN while the broker cannot tell. */
    public synchronized double records() {
        if (admin == null) {
            return Double.NaN;
        }
        long now = System.nanoTime();
        if (readAt != 0 && now - readAt < maxAgeNanos) {
            return last;
        }
        readAt = now;
        try {
            last = query();
        } catch (Exception e) {
            LOG.debug("Consumer lag of group {} unknown: {}", group, e.toString());
            last = Double.NaN;
        }
        return last;
    }

    private double query() throws Exception {
        var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames()
                .get(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        // a partition the group never committed counts from its first record; once all are committed, no lookup
        var uncommitted = partitions.stream().filter(p -> committed.get(p) == null).toList();
        var starts = uncommitted.isEmpty() ? Map.<TopicPartition, ListOffsetsResultInfo>of()
                : admin.listOffsets(uncommitted.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest())))
                        .all().get(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long lag = 0;
        for (TopicPartition p : partitions) {
            OffsetAndMetadata c = committed.get(p);
            long from = c != null ? c.offset() : starts.get(p).offset();
            lag += Math.max(0, ends.get(p).offset() - from);
        }
        return lag;
    }

    @Override
    protected synchronized void doStart() {
        admin = adminFactory.get();
    }

    @Override
    protected synchronized void doStop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
