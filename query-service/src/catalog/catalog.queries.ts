import type pg from 'pg';
import {
  CATALOG_PROJECTION,
  CATALOG_TABLE,
  CATALOG_VIEW_COLUMNS,
  toProductView,
  type CacheEntry,
  type CatalogProductRow,
  type ProductView,
} from '@shop/read-models';
import { findRowAtPosition } from '../cache/read-model-row.js';

const PRODUCT_ROW = { name: 'catalog_find_product', columns: CATALOG_VIEW_COLUMNS, table: CATALOG_TABLE, projection: CATALOG_PROJECTION };

/**
 * One product as a cache entry: the row and the catalog checkpoint come from ONE statement (one snapshot), so
 * the stamp is exactly the position the row reflects. The body is serialised once, here, and then served as is.
 */
export async function findProductEntry(pool: pg.Pool, id: string): Promise<CacheEntry | undefined> {
  const found = await findRowAtPosition<CatalogProductRow>(pool, PRODUCT_ROW, id);
  if (!found) return undefined;
  const view = toProductView(found.row);
  return { position: found.position, etag: String(view.version), scope: '', body: JSON.stringify(view) };
}

/** Keyset position: (name, id) when browsing; (rank, id) when searching, best match first. */
export type ProductCursor = { name: string; id: string } | { rank: number; id: string };

export interface ProductPage {
  items: ProductView[];
  next?: ProductCursor;
  /** The catalog checkpoint the page was read at (same statement, same snapshot): the page reflects every event up to it. */
  position: bigint;
}

type PageRow = (CatalogProductRow & { read_position: string }) | { id: null; read_position: string };

/**
 * Runs a page query together with the catalog checkpoint, in ONE statement (one snapshot): the checkpoint row
 * drives a lateral join to the page, so even an empty page says which position it is empty at.
 */
async function pageAt<R extends CatalogProductRow>(pool: pg.Pool, name: string, pageSql: string, values: unknown[]): Promise<{ rows: R[]; position: bigint }> {
  const result = await pool.query<PageRow & Partial<R>>({
    name,
    text: `SELECT page.*, cp.position AS read_position
             FROM (SELECT position FROM projection_checkpoints WHERE projection = '${CATALOG_PROJECTION}') cp
             LEFT JOIN LATERAL (${pageSql}) page ON true`,
    values,
  });
  const position = BigInt(result.rows[0]?.read_position ?? 0);
  return { rows: result.rows.filter((row) => row.id !== null) as unknown as R[], position };
}

/** Browses the catalog in (name, id) order: stable under inserts, no OFFSET scans. */
async function browse(pool: pg.Pool, limit: number, after?: { name: string; id: string }): Promise<ProductPage> {
  const { rows, position } = after
    ? await pageAt<CatalogProductRow>(
        pool,
        'catalog_browse_after',
        `SELECT ${CATALOG_VIEW_COLUMNS} FROM ${CATALOG_TABLE} WHERE (name, id) > ($1, $2) ORDER BY name, id LIMIT $3`,
        [after.name, after.id, limit + 1],
      )
    : await pageAt<CatalogProductRow>(pool, 'catalog_browse', `SELECT ${CATALOG_VIEW_COLUMNS} FROM ${CATALOG_TABLE} ORDER BY name, id LIMIT $1`, [limit + 1]);
  const items = rows.slice(0, limit).map(toProductView);
  const last = items.at(-1);
  return rows.length > limit && last ? { items, next: { name: last.name, id: last.id }, position } : { items, position };
}

/**
 * Full-text search over the GIN-indexed `search_document` (name and SKU weigh more than the description),
 * ranked by ts_rank, keyset-paginated on (rank, id) so pages neither repeat nor skip a match.
 */
async function search(pool: pg.Pool, text: string, limit: number, after?: { rank: number; id: string }): Promise<ProductPage> {
  const query = `websearch_to_tsquery('english', $1)`;
  const ranked = `SELECT ${CATALOG_VIEW_COLUMNS}, ts_rank(search_document, ${query}) AS rank
                    FROM ${CATALOG_TABLE} WHERE search_document @@ ${query}`;
  const { rows, position } = after
    ? await pageAt<CatalogProductRow & { rank: number }>(
        pool,
        'catalog_search_after',
        `SELECT * FROM (${ranked}) r WHERE (r.rank, r.id) < ($2::real, $3::uuid) ORDER BY r.rank DESC, r.id DESC LIMIT $4`,
        [text, after.rank, after.id, limit + 1],
      )
    : await pageAt<CatalogProductRow & { rank: number }>(pool, 'catalog_search', `${ranked} ORDER BY rank DESC, id DESC LIMIT $2`, [text, limit + 1]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const items = page.map(toProductView);
  return rows.length > limit && last ? { items, next: { rank: last.rank, id: last.id }, position } : { items, position };
}

export function listProducts(pool: pg.Pool, options: { after?: ProductCursor; limit: number; search?: string }): Promise<ProductPage> {
  const { after, limit } = options;
  if (options.search !== undefined) {
    if (after && !('rank' in after)) throw new TypeError('a browsing cursor cannot continue a search');
    return search(pool, options.search, limit, after);
  }
  if (after && !('name' in after)) throw new TypeError('a search cursor cannot continue browsing');
  return browse(pool, limit, after);
}
