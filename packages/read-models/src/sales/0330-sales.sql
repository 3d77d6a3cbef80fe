-- The sales read models (sales.read-model.ts): the SQL `sales` projection's tables, and the Elasticsearch
-- `analytics` projection's own copy of placed orders (sales.index.ts is its index).
-- Part of the baseline (see packages/kernel/src/event-store/0100-event-store.sql). Applied once by the migration
-- runner: never edit it, add a file.

-- Sales (projection `sales`; packages/read-models/src/sales): the lines of every placed order (a payment or refund
-- carries none), and one fact per order line per payment (+) or refund (-), stamped with when it happened.
-- Reports aggregate facts at query time, so any [from, to) range is exact. A fact is keyed by the event that caused
-- it and its line, and never changes: re-applying an event inserts nothing (ON CONFLICT DO NOTHING).
CREATE TABLE IF NOT EXISTS sales_orders (
  order_id        uuid   PRIMARY KEY,
  currency        text   NOT NULL,
  lines           jsonb  NOT NULL,
  placed_position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS sales_facts (
  event_id      uuid        NOT NULL,
  line_no       integer     NOT NULL CHECK (line_no >= 0),
  order_id      uuid        NOT NULL,
  kind          text        NOT NULL CHECK (kind IN ('payment', 'refund')),
  at            timestamptz NOT NULL,
  position      bigint      NOT NULL,
  currency      text        NOT NULL,
  product_id    uuid        NOT NULL,
  sku           text        NOT NULL,
  name          text        NOT NULL,
  sign          smallint    NOT NULL CHECK (sign IN (1, -1)),
  order_delta   smallint    NOT NULL CHECK (order_delta IN (1, 0, -1)),
  units         integer     NOT NULL,
  revenue_cents bigint      NOT NULL,
  PRIMARY KEY (event_id, line_no)
);
-- Range scans by instant; the by-day report reads only the index (the visibility map permitting).
CREATE INDEX IF NOT EXISTS sales_facts_at ON sales_facts (at) INCLUDE (currency, order_delta, units, revenue_cents);

-- The Elasticsearch analytics projection (`analytics`) keeps its own copy of placed orders' lines here, beside its
-- checkpoint, so it never depends on how far the SQL sales projection has got.
CREATE TABLE IF NOT EXISTS analytics_orders (
  order_id        uuid   PRIMARY KEY,
  currency        text   NOT NULL,
  lines           jsonb  NOT NULL,
  placed_position bigint NOT NULL
);
