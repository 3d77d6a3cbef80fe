import type pg from 'pg';
import { assertNever } from '@shop/domain';
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

/** The orders a listing can come in: by name (browsing's default), by price either way, by relevance (a search's default). */
export const PRODUCT_SORTS = ['name', 'price_asc', 'price_desc', 'relevance'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/**
 * Keyset position after a page's last product, in its sort's order. The sort travels with it, so a cursor only
 * ever continues the sort that made it (its key would mean nothing in another order).
 */
export type ProductCursor =
  | { sort: 'name'; name: string; id: string }
  | { sort: 'price_asc' | 'price_desc'; priceCents: number; id: string }
  | { sort: 'relevance'; rank: number; id: string };

export interface ProductListing {
  sort: ProductSort;
  /** Full-text search over the GIN-indexed `search_document`; `relevance` needs it. */
  search?: string;
  after?: ProductCursor;
  limit: number;
}

export interface ProductPage {
  items: ProductView[];
  next?: ProductCursor;
  /** The catalog checkpoint the page was read at (same statement, same snapshot): the page reflects every event up to it. */
  position: bigint;
}

/**
 * Each sort's key and direction; the id breaks ties, so the order is total and pages neither repeat nor skip a
 * product. Every key has an index that reads it in order ((name, id); (price_cents, id) both ways), so a page is a
 * range scan; relevance is computed per match (ts_rank) and so ranks the matches of its search, which the GIN index finds.
 */
const SORT_KEYS: Record<ProductSort, { column: 'name' | 'price_cents' | 'rank'; type: string; direction: 'ASC' | 'DESC' }> = {
  name: { column: 'name', type: 'text', direction: 'ASC' },
  price_asc: { column: 'price_cents', type: 'bigint', direction: 'ASC' },
  price_desc: { column: 'price_cents', type: 'bigint', direction: 'DESC' },
  relevance: { column: 'rank', type: 'real', direction: 'DESC' },
};

const keyOf = (cursor: ProductCursor): string | number => {
  switch (cursor.sort) {
    case 'name':
      return cursor.name;
    case 'price_asc':
    case 'price_desc':
      return cursor.priceCents;
    case 'relevance':
      return cursor.rank;
    default:
      return assertNever(cursor);
  }
};

type ListedRow = CatalogProductRow & { rank?: number };

const cursorAfter = (sort: ProductSort, row: ListedRow): ProductCursor => {
  switch (sort) {
    case 'name':
      return { sort, name: row.name, id: row.id };
    case 'price_asc':
    case 'price_desc':
      return { sort, priceCents: Number(row.price_cents), id: row.id };
    case 'relevance':
      return { sort, rank: row.rank!, id: row.id };
    default:
      return assertNever(sort);
  }
};

/** Browsing by name and searching by relevance keep the statement names they had before sorts (metrics and tests count them). */
const statementName = (sort: ProductSort, searching: boolean): string => {
  if (sort === 'name' && !searching) return 'catalog_browse';
  if (sort === 'relevance') return 'catalog_search';
  return `catalog_${sort}${searching ? '_search' : ''}`;
};

/**
 * The SQL of one page of a listing (one more row than the page, to know whether another follows): pure, so every
 * sort's statement is checked without a database. A prepared statement per shape (sort, searching, continuing).
 */
export function productPageQuery(listing: ProductListing): { name: string; text: string; values: unknown[] } {
  const { sort, search, after, limit } = listing;
  if (sort === 'relevance' && search === undefined) throw new TypeError('relevance ranks the matches of a search: there is none');
  if (after && after.sort !== sort) throw new TypeError(`a cursor of a listing by ${after.sort} cannot continue one by ${sort}`);
  const { column, type, direction } = SORT_KEYS[sort];
  const values: unknown[] = [];
  const parameter = (value: unknown): string => `$${values.push(value)}`;
  let selected = CATALOG_VIEW_COLUMNS;
  const conditions: string[] = [];
  if (search !== undefined) {
    const query = `websearch_to_tsquery('english', ${parameter(search)})`;
    conditions.push(`search_document @@ ${query}`);
    if (sort === 'relevance') selected += `, ts_rank(search_document, ${query}) AS rank`;
  }
  const listed = `SELECT ${selected} FROM ${CATALOG_TABLE}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
  const continuing = after ? ` WHERE (p.${column}, p.id) ${direction === 'ASC' ? '>' : '<'} (${parameter(keyOf(after))}::${type}, ${parameter(after.id)}::uuid)` : '';
  return {
    name: `${statementName(sort, search !== undefined)}${after ? '_after' : ''}`,
    text: `SELECT * FROM (${listed}) p${continuing} ORDER BY p.${column} ${direction}, p.id ${direction} LIMIT ${parameter(limit + 1)}`,
    values,
  };
}

type PageRow = (ListedRow & { read_position: string }) | { id: null; read_position: string };

/**
 * One page of the catalog and the catalog checkpoint, in ONE statement (one snapshot): the checkpoint row drives a
 * lateral join to the page, so even an empty page says which position it is empty at.
 */
export async function listProducts(pool: pg.Pool, listing: ProductListing): Promise<ProductPage> {
  const page = productPageQuery(listing);
  const result = await pool.query<PageRow>({
    name: page.name,
    text: `SELECT page.*, cp.position AS read_position
             FROM (SELECT position FROM projection_checkpoints WHERE projection = '${CATALOG_PROJECTION}') cp
             LEFT JOIN LATERAL (${page.text}) page ON true`,
    values: page.values,
  });
  const position = BigInt(result.rows[0]?.read_position ?? 0);
  const rows = result.rows.filter((row): row is ListedRow & { read_position: string } => row.id !== null);
  const shown = rows.slice(0, listing.limit);
  const last = shown.at(-1);
  const items = shown.map(toProductView);
  return rows.length > listing.limit && last ? { items, next: cursorAfter(listing.sort, last), position } : { items, position };
}
