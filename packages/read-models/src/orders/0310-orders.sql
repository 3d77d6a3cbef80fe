-- The orders read model (orders.read-model.ts): written by the orders projection, read by the query service.
-- Part of the baseline (see packages/kernel/src/event-store/0100-event-store.sql). Applied once by the migration
-- runner: never edit it, add a file.

-- Orders, one row per order as the shopper sees it (the lines as sold). `version` is the order stream version
-- (the order's ETag); every write is guarded by it, so an old event re-applied never moves a row backwards.
-- `customer_forgotten_at`: the customer was forgotten (GDPR) and this row's personal data erased.
CREATE TABLE IF NOT EXISTS orders (
  id                    uuid        PRIMARY KEY,
  customer_id           uuid        NOT NULL,
  status                text        NOT NULL CHECK (status IN ('placed', 'paid', 'shipped', 'cancelled', 'refunded')),
  lines                 jsonb       NOT NULL,
  currency              text        NOT NULL,
  total_cents           bigint      NOT NULL,
  shipping_address      jsonb       NOT NULL,
  placed_at             timestamptz NOT NULL,
  payment_method        text,
  paid_at               timestamptz,
  shipped_at            timestamptz,
  cancelled_at          timestamptz,
  cancellation_reason   text,
  refunded_at           timestamptz,
  customer_forgotten_at timestamptz,
  version               bigint      NOT NULL,
  last_position         bigint      NOT NULL
);
-- Keyset pagination newest first: a customer's orders, and every order (admin, auditor).
CREATE INDEX IF NOT EXISTS orders_customer_newest ON orders (customer_id, placed_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS orders_newest ON orders (placed_at DESC, id DESC);
-- Part of the orders read model: the customers it has seen forgotten, so an order such a customer places later
-- is stored redacted too (without asking another projection, which may be behind).
CREATE TABLE IF NOT EXISTS orders_forgotten_customers (
  customer_id   uuid        PRIMARY KEY,
  forgotten_at  timestamptz NOT NULL,
  last_position bigint      NOT NULL
);
