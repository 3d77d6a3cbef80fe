import { z } from 'zod';

/**
 * The catalog read model: written by the projector's catalog projection, read by the query service.
 * The table itself is defined in 0300-catalog.sql beside it; this module is the one place its shape is spelled in code.
 */
export const CATALOG_PROJECTION = 'catalog';
export const CATALOG_TABLE = 'catalog_products';

/** The public product representation (allow-listed fields only). */
export const ProductView = z.object({
  id: z.uuid(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int(),
  currency: z.string().length(3),
  stockAvailable: z.number().int(),
  status: z.enum(['active', 'discontinued']),
  /** Where the product's picture is; null: it has none (the web app shows its placeholder). */
  imageUrl: z.string().nullable(),
  version: z.number().int(),
});
export type ProductView = z.infer<typeof ProductView>;

export interface CatalogProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  price_cents: string;
  currency: string;
  stock_available: number;
  status: 'active' | 'discontinued';
  image_url: string | null;
  version: string;
}

export const CATALOG_VIEW_COLUMNS = 'id, sku, name, description, price_cents, currency, stock_available, status, image_url, version';

export const toProductView = (row: CatalogProductRow): ProductView => ({
  id: row.id,
  sku: row.sku,
  name: row.name,
  description: row.description,
  priceCents: Number(row.price_cents),
  currency: row.currency,
  stockAvailable: row.stock_available,
  status: row.status,
  imageUrl: row.image_url,
  version: Number(row.version),
});

/** Redis keys the projector invalidates and the query service reads: one definition for both sides. */
export const CATALOG_CACHE_PREFIX = 'shop:catalog:';
/**
 * The shape of the cached bodies, in their keys: bodies are served as stored, so a body of an older shape (v1: no
 * `imageUrl`) must become unreachable when the shape changes, not wait for its product to change. Old keys expire.
 */
const VIEW_SHAPE = 'v2';
export const productCacheKey = (productId: string): string => `${CATALOG_CACHE_PREFIX}product:${VIEW_SHAPE}:${productId}`;
/**
 * A page of the catalog (a browse or a search), by a digest of its query. Never invalidated by key: an entry is
 * only good while the catalog has not moved past the position it was read at (the reader checks), so any catalog
 * commit makes every cached page unreachable at once.
 */
export const productListCacheKey = (queryDigest: string): string => `${CATALOG_CACHE_PREFIX}list:${VIEW_SHAPE}:${queryDigest}`;
