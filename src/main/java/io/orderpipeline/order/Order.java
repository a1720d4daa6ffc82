package io.orderpipeline.order;

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

    /** This order as the one row of the sink's COPY (orders.sql.copy-orders). */
    public OrderRows toRows() {
        return OrderRows.of(this);
    }
}
