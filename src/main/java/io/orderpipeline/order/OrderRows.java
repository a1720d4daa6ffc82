package io.orderpipeline.order;

import java.nio.charset.StandardCharsets;

/**
 * Orders as the rows of one {@code COPY ... FROM STDIN (FORMAT csv)} (orders.sql.copy-orders): the sink's way into
 * PostgreSQL. Columns in the order of that statement's list: id, src_currency, dst_currency, description, channel,
 * created_at, client_id. Texts are quoted (a quote doubled; commas and line breaks stay as they are inside quotes);
 * a missing client id is an unquoted empty field, which CSV COPY reads as NULL.
 */
public final class OrderRows {

    private final StringBuilder csv;
    private int size;

    public OrderRows(int expected) {
        csv = new StringBuilder(Math.max(expected, 1) * 160);
    }

    public static OrderRows of(Order order) {
        return new OrderRows(1).add(order);
    }

    public OrderRows add(Order order) {
        csv.append(order.id()).append(',')
                .append(order.srcCurrency()).append(',')
                .append(order.dstCurrency()).append(',');
        quoted(order.description());
        csv.append(',').append(order.channel()).append(',');
        quoted(order.createdAt());
        csv.append(',');
        if (order.clientId() != null) {
            quoted(order.clientId());
        }
        csv.append('\n');
        size++;
        return this;
    }

    private void quoted(String text) {
        csv.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                csv.append('"');
            }
            csv.append(c);
        }
        csv.append('"');
    }

    public int size() {
        return size;
    }

    /** The rows in UTF-8, what COPY reads (the connection's client encoding is UTF-8 with the PostgreSQL driver). */
    public byte[] toBytes() {
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return csv.toString();
    }
}
