-- The catalog read model (catalog.read-model.ts): written by the catalog projection, read by the query service.
-- Part of the baseline (see packages/kernel/src/event-store/0100-event-store.sql); the ADD COLUMN IF NOT EXISTS lines
-- upgrade databases older than it. Applied once by the migration runner: never edit it, add a file.

CREATE TABLE IF NOT EXISTS catalog_products (
  id               uuid        PRIMARY KEY,
  sku              text        NOT NULL,
  name             text        NOT NULL,
  description      text        NOT NULL,
  price_cents      bigint      NOT NULL,
  currency         text        NOT NULL,
  stock_available  integer     NOT NULL,
  version          bigint      NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  last_position    bigint      NOT NULL
);
ALTER TABLE catalog_products ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'active';
CREATE INDEX IF NOT EXISTS catalog_products_name_id ON catalog_products (name, id);
-- Full-text search: name and SKU weigh more than the description; English stemming ("mugs" finds "mug").
ALTER TABLE catalog_products ADD COLUMN IF NOT EXISTS search_document tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('simple', sku), 'A') ||
  setweight(to_tsvector('english', description), 'B')
) STORED;
CREATE INDEX IF NOT EXISTS catalog_products_search ON catalog_products USING gin (search_document);

-- Stock report (GET /api/analytics/stock): lowest available stock first, keyset by (stock_available, id).
CREATE INDEX IF NOT EXISTS catalog_products_stock_id ON catalog_products (stock_available, id);
