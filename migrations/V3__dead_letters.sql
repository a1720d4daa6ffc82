-- Records the sink could never store, one row per dead-lettered record: written by the sink's dead-letter
-- step right after the record's publish to the dead-letter topic, so that GET /orders/{id} can tell a client
-- what became of an order. A record dead-lettered twice (its batch redelivered) keeps one row.
CREATE TABLE IF NOT EXISTS dead_letters (
    source_topic     text        NOT NULL,
    source_partition int         NOT NULL,
    source_offset    bigint      NOT NULL,
    -- the order's id when the record is an order, else the record's key (the API keys records by order id)
    order_id         text,
    reason           text        NOT NULL,
    dead_lettered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_topic, source_partition, source_offset)
);

CREATE INDEX IF NOT EXISTS dead_letters_order_id_idx ON dead_letters (order_id);
