package io.orderpipeline.sink;

import java.util.List;

import io.orderpipeline.order.OrderRows;
import io.orderpipeline.sink.RecordTracing.RecordSpans;
import org.apache.camel.Message;

/**
 * One poll of the orders topic as the sink reads it, each record parsed: the body of route orders-sink from its
 * first step to the commit. The YAML reads {@link #getOrderCount()}, {@link #getRows()} (what the sink
 * stores), {@link #getOrders()} and {@link #getRejected()}; {@link OrderRecordBatch} keeps the records for the commit.
 */
public final class OrderBatch {

    private final List<ConsumedRecord> records;
    private final List<Message> orders;
    private final List<Message> rejected;
    private final OrderRows rows;
    private final RecordSpans spans;
    private final long insertStarted;

    OrderBatch(List<ConsumedRecord> records, List<Message> orders, List<Message> rejected, OrderRows rows,
               RecordSpans spans, long insertStarted) {
        this.records = records;
        this.orders = orders;
        this.rejected = rejected;
        this.rows = rows;
        this.spans = spans;
        this.insertStarted = insertStarted;
    }

    /** How many rows the INSERT takes: the records that are orders. */
    public int getOrderCount() {
        return orders.size();
    }

    /** The orders as the rows of the sink's COPY, in the order of {@link #getOrders()}. */
    public OrderRows getRows() {
        return rows;
    }

    /** The records that are orders: Kafka messages whose body is their {@link OrderRecord} (stored one by one when the table refuses the batch). */
    public List<Message> getOrders() {
        return orders;
    }

    /** The records that are not orders: Kafka messages whose body is their {@link OrderRecord} (dead-lettered with the reason). */
    public List<Message> getRejected() {
        return rejected;
    }

    List<ConsumedRecord> records() {
        return records;
    }

    RecordSpans spans() {
        return spans;
    }

    long insertStarted() {
        return insertStarted;
    }
}
