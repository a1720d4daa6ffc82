-- The authenticated client that sent each order (the API key's client id or the JWT's client claim);
-- NULL for orders taken while the API ran without authentication, and for every order stored before.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS client_id text;
