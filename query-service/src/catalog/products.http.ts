import { createHash } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { productCacheKey, productListCacheKey, type CacheEntry } from '@shop/read-models';
import { answeredNotModified, parseOrThrow, ProblemError, sendJsonText, type GetRoutes } from '@shop/service-kit';
import type { ReadCache } from '../cache/read-cache.js';
import { readThrough } from '../cache/read-through.js';
import { SingleFlight } from '../cache/single-flight.js';
import type { Freshness } from '../read-your-writes/consistency.http.js';
import type { PositionSource } from '../read-your-writes/position-tracker.js';
import { findProductEntry, listProducts, PRODUCT_SORTS, type ProductCursor, type ProductSort } from './catalog.queries.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Keys bounded to what their SQL types hold (bigint, real): a forged cursor is a 400, never an out-of-range 500.
const Cursor = z.discriminatedUnion('sort', [
  z.strictObject({ sort: z.literal('name'), name: z.string(), id: z.uuid() }),
  z.strictObject({ sort: z.enum(['price_asc', 'price_desc']), priceCents: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), id: z.uuid() }),
  z.strictObject({ sort: z.literal('relevance'), rank: z.number().min(0).max(1e30), id: z.uuid() }),
]);
const encodeCursor = (cursor: ProductCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');
/**
 * A cursor continues only the sort that made it (a relevance cursor only a search, of any text): its key means
 * nothing in another order, so one of another sort is refused rather than allowed to skip or repeat products.
 */
function decodeCursor(text: string, sort: ProductSort): ProductCursor {
  let cursor: ProductCursor | undefined;
  try {
    cursor = Cursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    cursor = undefined;
  }
  if (cursor?.sort !== sort) {
    throw new ProblemError(400, 'invalid_cursor', 'Invalid cursor', `Pass back the nextCursor of a previous page of the same listing (sort=${sort}) unchanged`);
  }
  return cursor;
}

const ListQuery = z
  .strictObject({
    search: z.string().trim().min(1).max(200).optional(),
    sort: z.enum(PRODUCT_SORTS).optional(),
    cursor: z.string().max(1_000).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((query) => query.sort !== 'relevance' || query.search !== undefined, { path: ['sort'], message: 'relevance ranks search results: give a search' });

/** Without a sort: the best matches first when searching, else by name. */
const sortOf = (query: z.infer<typeof ListQuery>): ProductSort => query.sort ?? (query.search !== undefined ? 'relevance' : 'name');

const notFound = (id: string): ProblemError => new ProblemError(404, 'product_not_found', 'Product not found', `No product ${id}`);

/**
 * `fresh`: read-your-writes against the catalog read model (see read-your-writes/consistency.http.ts); `catalog`: how
 * far that read model has got, as this process knows it (a cached page is only served while nothing has moved).
 */
export function productRoutes(routes: GetRoutes, deps: { pool: pg.Pool; cache: ReadCache; fresh: Freshness; catalog: PositionSource }): void {
  const flights = new SingleFlight<CacheEntry | undefined>();
  const pageFlights = new SingleFlight<CacheEntry | undefined>();

  // The hot path: one Redis GET and a pre-serialised body; no JSON parse, no zod, no re-stringify.
  routes.get('/api/products/:id', async (exchange) => {
    const { req, res } = exchange;
    const minPosition = await deps.fresh(exchange);
    const id = exchange.params.id!;
    if (!UUID.test(id)) parseOrThrow(z.strictObject({ id: z.uuid() }), { id }, 'product id');
    const entry = await readThrough(deps.cache, flights, productCacheKey(id), minPosition, () => findProductEntry(deps.pool, id));
    if (!entry) throw notFound(id);
    res.setHeader('Read-Model-Position', entry.position.toString());
    if (answeredNotModified(req, res, entry.etag)) return;
    sendJsonText(res, entry.body);
  });

  // Pages are cached too, stamped with the catalog position they were read at. Any commit to the catalog moves
  // its position and so makes every cached page unreachable: a page is served only if it is at least as new as both
  // the caller's Consistency-Token and the catalog position this process has been told about.
  routes.get('/api/products', async (exchange) => {
    const { res } = exchange;
    const minPosition = await deps.fresh(exchange);
    const query = parseOrThrow(ListQuery, exchange.query, 'query string');
    const sort = sortOf(query);
    const after = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
    const digest = createHash('sha1').update(`${query.search ?? ''}\n${sort}\n${query.cursor ?? ''}\n${query.limit}`).digest('base64url');
    const floor = minPosition > deps.catalog.position ? minPosition : deps.catalog.position;
    const entry = await readThrough(deps.cache, pageFlights, productListCacheKey(digest), floor, async () => {
      const page = await listProducts(deps.pool, { sort, limit: query.limit, ...(after ? { after } : {}), ...(query.search ? { search: query.search } : {}) });
      const body = JSON.stringify({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
      return { position: page.position, etag: '', scope: '', body };
    });
    res.setHeader('Read-Model-Position', entry!.position.toString());
    sendJsonText(res, entry!.body);
  });
}
