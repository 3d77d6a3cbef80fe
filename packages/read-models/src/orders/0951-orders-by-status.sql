-- The orders read model, second file (0310-orders.sql is applied and never edited).

-- GET /api/orders?status= for admin and auditor: every order of one status, newest first, keyset-paginated on
-- (placed_at, id). Without it a rare status (refunded) is found by walking orders_newest through every other one.
-- placedFrom / placedTo are ranges of orders_newest (and of orders_customer_newest for a shopper): no index of their own.
CREATE INDEX IF NOT EXISTS orders_status_newest ON orders (status, placed_at DESC, id DESC);
