package io.orderpipeline.order;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One accepted order, as published to Kafka and stored in PostgreSQL. Field names match the Go original's JSON;
 * {@code client_id} is the authenticated client that sent it (absent when the API runs without authentication).
 */
public record Order(
        @JsonProperty("id") UUID id,
        @JsonProperty("src_currency") long srcCurrency,
        @JsonProperty("dst_currency") long dstCurrency,
        @JsonProperty("description") String description,
        @JsonProperty("channel") int channel,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("client_id") @JsonInclude(JsonInclude.Include.NON_NULL) String clientId) {

    /** The named parameters of the sink's INSERT statement (orders.sql.insert-orders) for this one order. */
    public Map<String, Object> toSqlParameters() {
        OrderColumns row = new OrderColumns(1);
        row.add(this);
        return row.toSqlParameters();
    }
}
