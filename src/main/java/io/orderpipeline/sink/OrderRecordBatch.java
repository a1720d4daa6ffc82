package io.orderpipeline.sink;

import java.util.ArrayList;
import java.util.List;

import io.orderpipeline.db.DatabaseFailures;
import io.orderpipeline.kafka.ConsumedRecord;
import io.orderpipeline.metrics.OrderMetrics;
import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderRows;
import io.orderpipeline.order.OrderValidator;
import io.orderpipeline.telemetry.RecordTracing.RecordSpans;
import io.orderpipeline.telemetry.RecordTracing;
import io.orderpipeline.upstream.BatchOffsetCommit;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

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
     * Parses each record of the poll once: the orders become the rows of one COPY, the others wait to be
     * dead-lettered. Each record's body becomes its {@link OrderRecord}, what orders-sink-record works on.
     */
    public OrderBatch read(@Body List<Exchange> records) {
        List<ConsumedRecord> consumed = new ArrayList<>(records.size());
        for (Exchange exchange : records) {
            consumed.add(ConsumedRecord.of(exchange.getMessage()));
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
     * Commits, for each partition in the batch, the offset after its last record (one request to the broker:
     * {@link BatchOffsetCommit}). Called only once every record is stored or dead-lettered, so a crash before this
     * point re-delivers the batch (and the insert ignores duplicates).
     */
    public void commit(@Body OrderBatch batch) {
        batch.spans().stored();
        BatchOffsetCommit.commitLastOffsets(batch.records());
    }

    /**
     * Whether a failed batch insert will fail again however often it is retried (a row the table refuses), as opposed
     * to PostgreSQL being unreachable for a while.
     */
    public boolean isPermanent(Exception failure) {
        return !DatabaseFailures.isTransient(failure);
    }
}
