package io.orderpipeline.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderRows;
import io.orderpipeline.order.OrderValidator;
import io.orderpipeline.platform.db.DatabaseFailures;
import io.orderpipeline.platform.metrics.OrderMetrics;
import io.orderpipeline.sink.RecordTracing.RecordSpans;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * The sink's steps on one poll's worth of order records (camel-kafka batching): {@link #read} turns them into an
 * {@link OrderBatch}, the body the rest of route orders-sink works on; {@link #inserted} counts a stored batch;
 * {@link #done} names each partition's last offset to commit once every record is stored or dead-lettered.
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
     * Parses each record of the poll once: the orders become the rows of one COPY, the others wait to be
     * dead-lettered. Each record's body becomes its {@link OrderRecord}, what orders-sink-record works on.
     */
    public OrderBatch read(@Body List<Exchange> records) {
        List<ConsumedRecord> consumed = new ArrayList<>(records.size());
        for (Exchange exchange : records) {
            ConsumedRecord record = ConsumedRecord.of(exchange.getMessage());
            if (record.commit() == null) {
                // camel-kafka would then commit on its own, whether or not the orders were stored
                throw new IllegalStateException("orders-sink's Kafka endpoint must hand the route its commits:"
                        + " allowManualCommit=true, autoCommitEnable=false and a kafkaManualCommitFactory");
            }
            consumed.add(record);
        }
        RecordSpans spans = tracing.consumed(consumed);
        OrderRows rows = new OrderRows(records.size());
        List<Message> orders = new ArrayList<>(records.size());
        List<Message> rejected = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            long publishedAt = consumed.get(i).timestamp();
            if (publishedAt >= 0) {
                metrics.recordMessageDelay(publishedAt);
            }
            Message message = records.get(i).getMessage();
            OrderRecord record = OrderRecord.read(message.getBody(byte[].class), validator);
            message.setBody(record);
            if (record.isOrder()) {
                rows.add(record.getOrder());
                orders.add(message);
            } else {
                rejected.add(message);
            }
        }
        spans.storing();
        return new OrderBatch(consumed, orders, rejected, rows, spans, System.nanoTime());
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
     * Ends the batch: called only once every record is stored or dead-lettered, so a crash before its offsets are
     * committed re-delivers the batch (and the insert ignores duplicates).
     *
     * @return what to commit: for each partition in the batch, the commit of its last record (the offset after it)
     */
    public List<KafkaManualCommit> done(@Body OrderBatch batch) {
        batch.spans().stored();
        Map<String, KafkaManualCommit> lastPerPartition = new LinkedHashMap<>();
        for (ConsumedRecord record : batch.records()) {
            lastPerPartition.put(record.topic() + "-" + record.partition(), record.commit());
        }
        return new ArrayList<>(lastPerPartition.values());
    }

    /**
     * Whether a failed batch insert will fail again however often it is retried (a row the table refuses), as opposed
     * to PostgreSQL being unreachable for a while.
     */
    public boolean isPermanent(Exception failure) {
        return !DatabaseFailures.isTransient(failure);
    }
}
