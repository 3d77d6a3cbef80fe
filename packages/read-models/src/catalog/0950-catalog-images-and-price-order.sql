-- The catalog read model, second file (0300-catalog.sql is applied and never edited).

-- A product's picture (ProductCreated's optional imageUrl, ProductImageChanged): null when it has none.
ALTER TABLE catalog_products ADD COLUMN IF NOT EXISTS image_url text;

-- GET /api/products?sort=price_asc|price_desc keyset-paginates on (price_cents, id): one index serves both
-- directions (a backward scan for price_desc), so a page is an index range scan, never a sort of the catalog.
CREATE INDEX IF NOT EXISTS catalog_products_price_id ON catalog_products (price_cents, id);
