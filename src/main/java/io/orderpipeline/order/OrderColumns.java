package io.orderpipeline.order;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The orders of one sink batch as seven columns: the parameters of a single
 * {@code INSERT ... SELECT * FROM unnest(:#id, ...)} statement. One statement with seven array parameters costs the
 * JDBC layer the same whether the batch holds 1 or 500 orders, where a JDBC batch binds seven parameters per row.
 */
public final class OrderColumns {

    private final String[] ids;
    private final long[] srcCurrencies;
    private final long[] dstCurrencies;
    private final String[] descriptions;
    private final int[] channels;
    private final String[] createdAts;
    private final String[] clientIds;
    private int size;

    public OrderColumns(int capacity) {
        ids = new String[capacity];
        srcCurrencies = new long[capacity];
        dstCurrencies = new long[capacity];
        descriptions = new String[capacity];
        channels = new int[capacity];
        createdAts = new String[capacity];
        clientIds = new String[capacity];
    }

    public void add(Order order) {
        ids[size] = order.id().toString();
        srcCurrencies[size] = order.srcCurrency();
        dstCurrencies[size] = order.dstCurrency();
        descriptions[size] = order.description();
        channels[size] = order.channel();
        createdAts[size] = order.createdAt();
        clientIds[size] = order.clientId();
        size++;
    }

    public int size() {
        return size;
    }

    /** The named array parameters of the sink's batch INSERT, one element per order, in the order added. */
    public Map<String, Object> toSqlParameters() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("id", Arrays.copyOf(ids, size));
        columns.put("src_currency", Arrays.copyOf(srcCurrencies, size));
        columns.put("dst_currency", Arrays.copyOf(dstCurrencies, size));
        columns.put("description", Arrays.copyOf(descriptions, size));
        columns.put("channel", Arrays.copyOf(channels, size));
        columns.put("created_at", Arrays.copyOf(createdAts, size));
        columns.put("client_id", Arrays.copyOf(clientIds, size));
        return columns;
    }
}
