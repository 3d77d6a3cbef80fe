import { Router, type RequestHandler } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { productCacheKey } from '@shop/read-models';
import { parseOrThrow, ProblemError } from '@shop/service-kit';
import type { ReadCache } from '../cache/read-cache.js';
import { findProduct, listProducts, type ProductCursor } from './catalog.queries.js';

const ProductIdParams = z.strictObject({ id: z.uuid() });

const Cursor = z.object({ name: z.string(), id: z.uuid() });
const encodeCursor = (cursor: ProductCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const decodeCursor = (text: string): ProductCursor => {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ProblemError(400, 'invalid_cursor', 'Invalid cursor', 'Pass back the nextCursor of a previous page unchanged');
  }
};

const ListQuery = z.strictObject({
  search: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(1_000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const CACHE_TTL_SECONDS = 300;

/** `fresh`: read-your-writes against the catalog read model (see read-your-writes/consistency.http.ts). */
export function productRoutes(deps: { pool: pg.Pool; cache: ReadCache; fresh: RequestHandler }): Router {
  const router = Router();

  router.get('/api/products/:id', deps.fresh, async (req, res) => {
    const { id } = parseOrThrow(ProductIdParams, req.params, 'product id');
    const key = productCacheKey(id);
    const cached = await deps.cache.get(key);
    if (cached !== undefined) {
      // Pre-serialised body straight from the cache: no parse, no re-stringify on the hot path.
      res.type('application/json').send(cached);
      return;
    }
    const product = await findProduct(deps.pool, id);
    if (!product) throw new ProblemError(404, 'product_not_found', 'Product not found', `No product ${id}`);
    const body = JSON.stringify(product);
    await deps.cache.set(key, body, CACHE_TTL_SECONDS);
    res.type('application/json').send(body);
  });

  router.get('/api/products', deps.fresh, async (req, res) => {
    const query = parseOrThrow(ListQuery, req.query, 'query string');
    const page = await listProducts(deps.pool, {
      limit: query.limit,
      ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
      ...(query.search ? { search: query.search } : {}),
    });
    res.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
  });

  return router;
}
