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
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One poll's worth of order records in the sink (camel-kafka batching): turns them into the columns of one INSERT,
 * keeps aside the records that are not orders (they are dead-lettered one by one), and commits each partition's last
 * offset once the batch is stored.
 */
public class OrderRecordBatch {

    /** Every record of the batch (their Kafka headers carry the manual commit). */
    public static final String RECORDS = "orderRecords";
    /** The records whose value parsed as an order, as messages, in the order of the INSERT's rows. */
    public static final String ORDERS = "orderMessages";
    /** The records that are not valid orders, as messages. */
    public static final String REJECTED = "orderRejected";
    /** Each record's consume span, ended once the batch is committed. */
    public static final String SPANS = "orderSpans";
    /** How many rows the batch INSERT takes (the number of orders). */
    public static final String COUNT = "orderCount";
    /** When the batch INSERT started ({@link System#nanoTime()}). */
    public static final String INSERT_STARTED = "orderInsertStarted";

    private final OrderValidator validator;
    private final OrderMetrics metrics;
    private final RecordTracing tracing;

    public OrderRecordBatch(OrderValidator validator, OrderMetrics metrics, RecordTracing tracing) {
        this.validator = validator;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** @return the batch INSERT's parameters: one array per column, one element per valid order of the batch */
    public Map<String, Object> toColumns(@Body List<Exchange> records, Exchange batch) {
        OrderColumns columns = new OrderColumns(records.size());
        List<Message> orders = new ArrayList<>(records.size());
        List<Message> rejected = new ArrayList<>();
        RecordSpans spans = tracing.consumed(records);
        for (Exchange record : records) {
            Message message = record.getMessage();
            Long publishedAt = message.getHeader(KafkaConstants.TIMESTAMP, Long.class);
            if (publishedAt != null) {
                metrics.recordMessageDelay(publishedAt);
            }
            try {
                columns.add(validator.fromRecord(message.getBody(byte[].class)));
                orders.add(message);
            } catch (InvalidOrderException e) {
                rejected.add(message);
            }
        }
        batch.setProperty(RECORDS, records);
        batch.setProperty(ORDERS, orders);
        batch.setProperty(REJECTED, rejected);
        batch.setProperty(COUNT, columns.size());
        batch.setProperty(SPANS, spans);
        spans.storing();
        batch.setProperty(INSERT_STARTED, System.nanoTime());
        return columns.toSqlParameters();
    }

    /** The batch INSERT stored every order of the batch. */
    public void inserted(@ExchangeProperty(ORDERS) List<Message> orders, @ExchangeProperty(INSERT_STARTED) long started) {
        metrics.inserted(orders.size(), started);
    }

    /**
     * Commits, for each partition in the batch, the offset after its last record. Called only once every record is
     * stored or dead-lettered, so a crash before this point re-delivers the batch (and the insert ignores duplicates).
     * The partitions of one consumer are committed together, with one request to the broker; commits this class does
     * not know (another {@code kafkaManualCommitFactory}, an offset repository) are left to commit themselves.
     */
    public void commit(@ExchangeProperty(RECORDS) List<Exchange> records, @ExchangeProperty(SPANS) RecordSpans spans) {
        spans.stored();
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
