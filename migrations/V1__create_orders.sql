-- Orders accepted by POST /orders and persisted by the orders-sink route.
-- The id is the order's UUID (also the Kafka record key); the sink inserts with
-- ON CONFLICT (id) DO NOTHING, so a redelivered record never makes a second row.
CREATE TABLE IF NOT EXISTS orders (
    id           uuid        PRIMARY KEY,
    src_currency bigint      NOT NULL CHECK (src_currency >= 0),
    dst_currency bigint      NOT NULL CHECK (dst_currency >= 0),
    description  text        NOT NULL DEFAULT '',
    channel      int         NOT NULL,
    created_at   timestamptz NOT NULL,
    persisted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS orders_created_at_idx ON orders (created_at);
