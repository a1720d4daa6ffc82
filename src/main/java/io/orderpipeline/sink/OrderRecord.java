package io.orderpipeline.sink;

import io.orderpipeline.order.InvalidOrderException;
import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderValidator;

/**
 * One record of the orders topic as the sink read it, parsed once: its value and the order in it, or why it is not
 * an order. {@link OrderRecordBatch#read} makes one the body of each record it cannot insert with the batch, so that
 * route orders-sink-record stores or dead-letters it without reading the JSON again.
 */
public final class OrderRecord {

    private final byte[] value;
    private final Order order;
    private final InvalidOrderException failure;

    private OrderRecord(byte[] value, Order order, InvalidOrderException failure) {
        this.value = value;
        this.order = order;
        this.failure = failure;
    }

    static OrderRecord read(byte[] value, OrderValidator validator) {
        try {
            return new OrderRecord(value, validator.fromRecord(value), null);
        } catch (InvalidOrderException e) {
            return new OrderRecord(value, null, e);
        }
    }

    /** The record's value as consumed: what a dead letter carries. */
    public byte[] getValue() {
        return value;
    }

    /** The order's id, or null when the record is not an order. */
    public String getOrderId() {
        return order == null ? null : order.id().toString();
    }

    /** The client that sent the order, or null when the record is not an order or its client is anonymous. */
    public String getClientId() {
        return order == null ? null : order.clientId();
    }

    public boolean isOrder() {
        return order != null;
    }

    /** The order; for a record that is not one, the validator's verdict is thrown (a permanent failure). */
    public Order getOrder() {
        if (failure != null) {
            throw failure;
        }
        return order;
    }
}
