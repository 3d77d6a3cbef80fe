import type pg from 'pg';
import { z } from 'zod';
import { SALES_GROUPINGS, topProductsPerCurrency, type SalesRange } from '@shop/read-models';
import { assertRole, parseOrThrow, ProblemError, sendJson, verifyBearer, type Exchange, type GetRoutes, type TokenVerifier } from '@shop/service-kit';
import type { Freshness } from '../read-your-writes/consistency.http.js';
import type { SalesReportSource } from './sales-report.port.js';
import { listStockLevels, type StockCursor } from './stock.queries.js';

const DAY_MS = 86_400_000;
/** The longest range one report covers: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;

const Instant = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time, e.g. 2026-11-24T00:00:00Z' });

/**
 * `from` (inclusive) and `to` (exclusive), with the documented defaults (to: now, from: 30 days before to), then
 * checked as a pair: from before to, at most MAX_RANGE_DAYS apart. Every failure is a 400 naming its field.
 */
function resolveRange(query: { from?: string | undefined; to?: string | undefined }, now: Date, ctx: z.RefinementCtx): SalesRange {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: '`from` must be before `to`' });
  else if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `a report covers at most ${MAX_RANGE_DAYS} days` });
  }
  return { from, to };
}

const StockQuery = z.strictObject({
  cursor: z.string().max(1_000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const Cursor = z.object({ stockAvailable: z.number().int(), id: z.uuid() });
const encodeCursor = (cursor: StockCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const decodeCursor = (text: string): StockCursor => {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ProblemError(400, 'invalid_cursor', 'Invalid cursor', 'Pass back the nextCursor of a previous page unchanged');
  }
};

export interface AnalyticsRoutesDeps {
  pool: pg.Pool;
  tokens: TokenVerifier;
  /** Sales reports: Elasticsearch when configured, else the SQL read model. */
  reports: SalesReportSource;
  /** Read-your-writes against the projection `reports` is served from. */
  freshSales: Freshness;
  /** Read-your-writes against the catalog read model (the stock report). */
  freshCatalog: Freshness;
  now?: () => Date;
}

/** Analysts' reads: sales by day or product, top products, stock. Analysts and admins only. */
export function analyticsRoutes(routes: GetRoutes, deps: AnalyticsRoutesDeps): void {
  const now = deps.now ?? (() => new Date());
  const SalesQuery = z
    .strictObject({ from: Instant.optional(), to: Instant.optional(), groupBy: z.enum(SALES_GROUPINGS).default('day') })
    .transform((query, ctx) => ({ groupBy: query.groupBy, range: resolveRange(query, now(), ctx) }));
  const TopProductsQuery = z
    .strictObject({ from: Instant.optional(), to: Instant.optional(), limit: z.coerce.number().int().min(1).max(100).default(10) })
    .transform((query, ctx) => ({ limit: query.limit, range: resolveRange(query, now(), ctx) }));
  // Who may ask comes before anything else: an unauthenticated report never waits for a read model.
  const analyst = async (exchange: Exchange): Promise<void> => {
    assertRole(await verifyBearer(deps.tokens, exchange.req.headers.authorization), ['analyst', 'admin']);
  };

  routes.get('/api/analytics/sales', async (exchange) => {
    await analyst(exchange);
    await deps.freshSales(exchange);
    const { range, groupBy } = parseOrThrow(SalesQuery, exchange.query, 'query string');
    const items = groupBy === 'day' ? await deps.reports.salesByDay(range) : await deps.reports.salesByProduct(range);
    sendJson(exchange.res, { from: range.from.toISOString(), to: range.to.toISOString(), groupBy, items });
  });

  routes.get('/api/analytics/top-products', async (exchange) => {
    await analyst(exchange);
    await deps.freshSales(exchange);
    const { range, limit } = parseOrThrow(TopProductsQuery, exchange.query, 'query string');
    const items = topProductsPerCurrency(await deps.reports.salesByProduct(range), limit);
    sendJson(exchange.res, { from: range.from.toISOString(), to: range.to.toISOString(), limit, items });
  });

  routes.get('/api/analytics/stock', async (exchange) => {
    await analyst(exchange);
    await deps.freshCatalog(exchange);
    const query = parseOrThrow(StockQuery, exchange.query, 'query string');
    const page = await listStockLevels(deps.pool, { limit: query.limit, ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}) });
    sendJson(exchange.res, { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
  });
}
