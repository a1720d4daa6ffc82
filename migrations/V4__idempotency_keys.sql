-- POST /orders with an Idempotency-Key: one row per client and key, shared by every API instance. The row holds
-- the order as first accepted, so a retry is answered with the same order (same id, same created_at) and, when the
-- first attempt's outcome is unknown, republishes that same order (the sink stores an id once).
CREATE TABLE IF NOT EXISTS idempotency_keys (
    client_id       text        NOT NULL, -- the authenticated client, '' without authentication
    idempotency_key text        NOT NULL,
    request_hash    bytea       NOT NULL, -- of the order's content: another body under the key is refused (422)
    order_json      text        NOT NULL,
    claim           uuid        NOT NULL, -- the attempt that may publish the order now
    claimed_at      timestamptz NOT NULL,
    completed       boolean     NOT NULL DEFAULT false, -- the broker acknowledged the order
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (client_id, idempotency_key)
);

CREATE INDEX IF NOT EXISTS idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
