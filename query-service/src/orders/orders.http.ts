import { Router, type Request, type RequestHandler } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { ORDER_STATUSES, orderCacheKey, type CacheEntry } from '@shop/read-models';
import { answeredNotModified, authenticate, parseOrThrow, principalOf, ProblemError, requireRole, type TokenVerifier } from '@shop/service-kit';
import type { ReadCache } from '../cache/read-cache.js';
import { readThrough } from '../cache/read-through.js';
import { SingleFlight } from '../cache/single-flight.js';
import { minPositionOf } from '../read-your-writes/consistency.http.js';
import { inScope, orderScopeOf } from './order-scope.js';
import { Instant, isBefore } from './order-filters.js';
import { findOrderEntry, listOrders, type OrderCursor, type OrderFilters } from './orders.queries.js';

const OrderIdParams = z.strictObject({ id: z.uuid() });

const ListQuery = z
  .strictObject({
    cursor: z.string().max(1_000).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    status: z.enum(ORDER_STATUSES).optional(),
    placedFrom: Instant.optional(),
    placedTo: Instant.optional(),
  })
  .refine((query) => !query.placedFrom || !query.placedTo || isBefore(query.placedFrom, query.placedTo), {
    path: ['placedTo'],
    message: 'placedTo must be later than placedFrom (placedFrom is included, placedTo is not)',
  });

const Cursor = z.strictObject({ placedAt: z.iso.datetime(), id: z.uuid() });
export const encodeOrderCursor = (cursor: OrderCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');
export function decodeOrderCursor(text: string): OrderCursor {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ProblemError(400, 'invalid_cursor', 'Invalid cursor', 'Pass back the nextCursor of a previous page unchanged');
  }
}

const orderNotFound = (id: string): ProblemError => new ProblemError(404, 'order_not_found', 'Order not found', `No order ${id}`);

const parseId = (req: Request): string => parseOrThrow(OrderIdParams, req.params, 'order id').id;
function parseListQuery(req: Request): { limit: number; filters: OrderFilters; after?: OrderCursor } {
  const { cursor, limit, ...filters } = parseOrThrow(ListQuery, req.query, 'query string');
  return cursor === undefined ? { limit, filters } : { limit, filters, after: decodeOrderCursor(cursor) };
}

/** Bad input answers 400 before a Consistency-Token makes anyone wait (the handler parses again: it is cheap). */
const validated =
  (parse: (req: Request) => unknown): RequestHandler =>
  (req, _res, next) => {
    parse(req);
    next();
  };

/**
 * GET /api/orders and /api/orders/:id from the orders read model. `fresh`: read-your-writes against it
 * (Consistency-Token in, Read-Model-Position out). A single order goes through the position-stamped Redis cache;
 * the entry is keyed by the order alone and carries its customer as its scope, so who may see it is decided on a
 * hit exactly as on a miss (a shopper is never served another shopper's cached order). Order bodies are per caller:
 * `Cache-Control: private` keeps shared caches (the gateway, proxies) from handing one shopper's order to another.
 */
export function orderRoutes(deps: { pool: pg.Pool; cache: ReadCache; tokens: TokenVerifier; fresh: RequestHandler }): Router {
  const router = Router();
  const readers = [authenticate(deps.tokens), requireRole('shopper', 'admin', 'auditor')];
  const flights = new SingleFlight<CacheEntry | undefined>();

  router.get('/api/orders/:id', ...readers, validated(parseId), deps.fresh, async (req, res) => {
    const id = parseId(req);
    const entry = await readThrough(deps.cache, flights, orderCacheKey(id), minPositionOf(res), () => findOrderEntry(deps.pool, id));
    // Another shopper's order answers exactly like a missing one: its existence is not theirs to learn.
    if (!entry || !inScope(orderScopeOf(principalOf(res)), entry.scope)) throw orderNotFound(id);
    res.set('Cache-Control', 'private, no-cache');
    res.set('Read-Model-Position', entry.position.toString());
    // A redacted order changed without its version moving, so the version cannot vouch for it: no ETag, never 304.
    if (entry.etag !== '' && answeredNotModified(req, res, entry.etag)) return;
    res.type('application/json').send(entry.body);
  });

  router.get('/api/orders', ...readers, validated(parseListQuery), deps.fresh, async (req, res) => {
    const { limit, filters, after } = parseListQuery(req);
    const scope = orderScopeOf(principalOf(res));
    res.set('Cache-Control', 'private, no-cache');
    if (scope.kind === 'no-orders') {
      res.json({ items: [], nextCursor: null });
      return;
    }
    const page = await listOrders(deps.pool, { scope, filters, limit, ...(after ? { after } : {}) });
    res.json({ items: page.items, nextCursor: page.next ? encodeOrderCursor(page.next) : null });
  });

  return router;
}
