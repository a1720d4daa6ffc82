-- The client whose order was dead-lettered, so that GET /orders/{id} shows a dead letter only to that client
-- (null: the record was not an order, or its client was anonymous).
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS client_id text;
