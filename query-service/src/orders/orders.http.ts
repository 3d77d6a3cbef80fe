import type pg from 'pg';
import { z } from 'zod';
import { ORDER_STATUSES, orderCacheKey, type CacheEntry } from '@shop/read-models';
import { answeredNotModified, assertRole, parseOrThrow, ProblemError, sendJson, sendJsonText, verifyBearer, type Exchange, type GetRoutes, type Principal, type TokenVerifier } from '@shop/service-kit';
import type { ReadCache } from '../cache/read-cache.js';
import { readThrough } from '../cache/read-through.js';
import { SingleFlight } from '../cache/single-flight.js';
import type { Freshness } from '../read-your-writes/consistency.http.js';
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

const parseId = (exchange: Exchange): string => parseOrThrow(OrderIdParams, exchange.params, 'order id').id;
function parseListQuery(exchange: Exchange): { limit: number; filters: OrderFilters; after?: OrderCursor } {
  const { cursor, limit, ...filters } = parseOrThrow(ListQuery, exchange.query, 'query string');
  return cursor === undefined ? { limit, filters } : { limit, filters, after: decodeOrderCursor(cursor) };
}

/**
 * GET /api/orders and /api/orders/:id from the orders read model. `fresh`: read-your-writes against it
 * (Consistency-Token in, Read-Model-Position out). A single order goes through the position-stamped Redis cache;
 * the entry is keyed by the order alone and carries its customer as its scope, so who may see it is decided on a
 * hit exactly as on a miss (a shopper is never served another shopper's cached order). Order bodies are per caller:
 * `Cache-Control: private` keeps shared caches (the gateway, proxies) from handing one shopper's order to another.
 * Each route checks, in order: who is calling, their role, the input (a 400 before a Consistency-Token makes anyone
 * wait), then freshness.
 */
export function orderRoutes(routes: GetRoutes, deps: { pool: pg.Pool; cache: ReadCache; tokens: TokenVerifier; fresh: Freshness }): void {
  const reader = async (exchange: Exchange): Promise<Principal> => {
    const principal = await verifyBearer(deps.tokens, exchange.req.headers.authorization);
    assertRole(principal, ['shopper', 'admin', 'auditor']);
    return principal;
  };
  const flights = new SingleFlight<CacheEntry | undefined>();

  routes.get('/api/orders/:id', async (exchange) => {
    const { req, res } = exchange;
    const principal = await reader(exchange);
    const id = parseId(exchange);
    const minPosition = await deps.fresh(exchange);
    const entry = await readThrough(deps.cache, flights, orderCacheKey(id), minPosition, () => findOrderEntry(deps.pool, id));
    // Another shopper's order answers exactly like a missing one: its existence is not theirs to learn.
    if (!entry || !inScope(orderScopeOf(principal), entry.scope)) throw orderNotFound(id);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Read-Model-Position', entry.position.toString());
    // A redacted order changed without its version moving, so the version cannot vouch for it: no ETag, never 304.
    if (entry.etag !== '' && answeredNotModified(req, res, entry.etag)) return;
    sendJsonText(res, entry.body);
  });

  routes.get('/api/orders', async (exchange) => {
    const { res } = exchange;
    const principal = await reader(exchange);
    const { limit, filters, after } = parseListQuery(exchange);
    await deps.fresh(exchange);
    const scope = orderScopeOf(principal);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (scope.kind === 'no-orders') {
      sendJson(res, { items: [], nextCursor: null });
      return;
    }
    const page = await listOrders(deps.pool, { scope, filters, limit, ...(after ? { after } : {}) });
    sendJson(res, { items: page.items, nextCursor: page.next ? encodeOrderCursor(page.next) : null });
  });
}
