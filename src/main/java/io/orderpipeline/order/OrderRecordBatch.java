package io.orderpipeline.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderpipeline.db.DatabaseFailures;
import io.orderpipeline.metrics.OrderMetrics;
import io.orderpipeline.telemetry.RecordTracing;
import io.orderpipeline.telemetry.RecordTracing.RecordSpans;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The sink's steps on one poll's worth of order records (camel-kafka batching): {@link #read} turns them into an
 * {@link OrderBatch}, the body the rest of route orders-sink works on; {@link #inserted} counts a stored batch;
 * {@link #commit} commits each partition's last offset once every record is stored or dead-lettered.
 */
public class OrderRecordBatch {

    private final OrderValidator validator;
    private final OrderMetrics metrics;
    private final RecordTracing tracing;

    public OrderRecordBatch(OrderValidator validator, OrderMetrics metrics, RecordTracing tracing) {
        this.validator = validator;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /**
     * Parses each record of the poll once: the orders become the INSERT's columns, the others wait to be
     * dead-lettered. Each record's body becomes its {@link OrderRecord}, what orders-sink-record works on.
     */
    public OrderBatch read(@Body List<Exchange> records) {
        OrderColumns columns = new OrderColumns(records.size());
        List<Message> orders = new ArrayList<>(records.size());
        List<Message> rejected = new ArrayList<>();
        RecordSpans spans = tracing.consumed(records);
        for (Exchange consumed : records) {
            Message message = consumed.getMessage();
            Long publishedAt = message.getHeader(KafkaConstants.TIMESTAMP, Long.class);
            if (publishedAt != null) {
                metrics.recordMessageDelay(publishedAt);
            }
            OrderRecord record = OrderRecord.read(message.getBody(byte[].class), validator);
            message.setBody(record);
            if (record.isOrder()) {
                columns.add(record.getOrder());
                orders.add(message);
            } else {
                rejected.add(message);
            }
        }
        spans.storing();
        return new OrderBatch(records, orders, rejected, columns.toSqlParameters(), spans, System.nanoTime());
    }

    /** The order of one record the batch did not store (route orders-sink-record); throws why it is not one. */
    public Order order(@Body OrderRecord record) {
        return record.getOrder();
    }

    /** The batch INSERT stored every order of the batch. */
    public void inserted(@Body OrderBatch batch) {
        metrics.inserted(batch.getOrderCount(), batch.insertStarted());
    }

    /**
     * Commits, for each partition in the batch, the offset after its last record. Called only once every record is
     * stored or dead-lettered, so a crash before this point re-delivers the batch (and the insert ignores duplicates).
     * The partitions of one consumer are committed together, with one request to the broker; commits this class does
     * not know (another {@code kafkaManualCommitFactory}, an offset repository) are left to commit themselves.
     */
    public void commit(@Body OrderBatch batch) {
        List<Exchange> records = batch.records();
        batch.spans().stored();
        Map<Object, KafkaManualCommit> lastPerPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            Message message = record.getMessage();
            KafkaManualCommit commit = message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit instanceof DefaultKafkaManualCommit known) {
                lastPerPartition.put(known.getPartition(), commit);
            } else if (commit != null) {
                lastPerPartition.put(message.getHeader(KafkaConstants.TOPIC) + "-"
                        + message.getHeader(KafkaConstants.PARTITION), commit);
            }
        }
        if (!commitTogether(lastPerPartition.values())) {
            lastPerPartition.values().forEach(KafkaManualCommit::commit);
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

    /**
     * Whether a failed batch insert will fail again however often it is retried (a row the table refuses), as opposed
     * to PostgreSQL being unreachable for a while.
     */
    public boolean isPermanent(Exception failure) {
        return !DatabaseFailures.isTransient(failure);
    }
}
