package io.orderpipeline.upstream;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits the offsets of a batch of records (camel-kafka {@code batching=true} with {@code allowManualCommit}): for each
 * partition the offset after its last record, with one OffsetCommit request where camel-kafka would send one per
 * partition. Route orders-sink calls it as bean {@code batchOffsetCommit}; without it the route would call each
 * partition's {@code commit()}.
 *
 * <p>Gap: camel-kafka 4.18 gives each record a {@link KafkaManualCommit} that commits its own partition; it has no
 * commit for a batch that spans partitions (CAMEL-23994 reworked batching commits in 4.22, still one per partition; no
 * issue asks for one request). Without it: SinkDeliveryTest (commit requests per batch). Benefit (bench/README.md, 2026-11-27 15:52): a typical batch spans three
 * partitions, and offset commits were ~18% of the broker's profiled CPU. Commits it does not know (another
 * {@code kafkaManualCommitFactory}, an offset repository) are left to commit themselves, one per partition.
 */
public final class BatchOffsetCommit {

    /**
     * Makes each partition's commit: in one request when they are all camel-kafka's synchronous commits of one
     * consumer, otherwise each on its own.
     *
     * @param lastPerPartition for each partition among a batch's records, the commit of its last record
     */
    public void commit(@Body List<KafkaManualCommit> lastPerPartition) {
        if (!commitTogether(lastPerPartition)) {
            lastPerPartition.forEach(KafkaManualCommit::commit);
        }
    }

    /**
     * One synchronous commit of every partition's offset, as each {@link DefaultKafkaManualSyncCommit} would make for
     * its own partition; only when all of them are such commits of one consumer without an offset repository.
     *
     * @return whether it committed them
     */
    private static boolean commitTogether(Collection<KafkaManualCommit> commits) {
        if (commits.size() < 2) {
            return false;
        }
        Consumer<?, ?> consumer = null;
        long timeoutMs = 0;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (KafkaManualCommit commit : commits) {
            if (!(commit instanceof DefaultKafkaManualSyncCommit sync) || sync.getOffsetRepository() != null
                    || (consumer != null && sync.getConsumer() != consumer)) {
                return false;
            }
            consumer = sync.getConsumer();
            timeoutMs = Math.max(timeoutMs, sync.getCommitTimeout());
            offsets.put(sync.getPartition(), new OffsetAndMetadata(sync.getRecordOffset() + 1));
        }
        consumer.commitSync(offsets, Duration.ofMillis(timeoutMs));
        return true;
    }
}
