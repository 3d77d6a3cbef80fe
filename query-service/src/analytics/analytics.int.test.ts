import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { salesProjection } from '@shop/projector';
import type { Role } from '@shop/service-kit';
import { catchUpFromStore } from '../testing/catch-up.js';
import { serveReadModels, TEST_TOKENS, type RunningQueryApp } from '../testing/query-test-app.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { appendKnownSalesHistory, EXPECTED_BY_DAY, EXPECTED_BY_PRODUCT, HAT, MUG } from './known-sales-history.js';

const WHOLE = 'from=2026-11-23T00:00:00Z&to=2026-11-26T00:00:00Z';
const ROUTES = [`/api/analytics/sales?${WHOLE}`, `/api/analytics/top-products?${WHOLE}`, '/api/analytics/stock'];

describe('analytics routes (real Postgres, over HTTP)', () => {
  let database: TestDatabase;
  let app: RunningQueryApp;
  let salesPosition: bigint;
  let analyst: string;
  const stock = new Map<string, number>();
  const tokenFor = (role: Role): Promise<string> =>
    TEST_TOKENS.issue(database.pool, { userId: randomUUID(), role, ...(role === 'shopper' ? { customerId: randomUUID() } : {}) });

  const get = (path: string, token?: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${app.base}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

  beforeAll(async () => {
    database = await startTestDatabase();
    await appendKnownSalesHistory(database.store);
    salesPosition = await catchUpFromStore(database.pool, database.store, salesProjection);
    // The catalog as the catalog projection would leave it, for the stock report.
    for (const [i, available] of [7, 0, 3, 3, 12].entries()) {
      const id = randomUUID();
      stock.set(id, available);
      await database.pool.query(
        `INSERT INTO catalog_products (id, sku, name, description, price_cents, currency, stock_available, version, created_at, updated_at, last_position, status)
         VALUES ($1, $2, $3, '', 100, 'EUR', $4, 1, now(), now(), 1, $5)`,
        [id, `STOCK-${i}`, `Stocked ${i}`, available, i === 1 ? 'discontinued' : 'active'],
      );
    }
    await database.pool.query("INSERT INTO projection_checkpoints (projection, position) VALUES ('catalog', 5) ON CONFLICT (projection) DO UPDATE SET position = 5");
    app = await serveReadModels(database, { maxConsistencyWaitMs: 200 });
    analyst = await tokenFor('analyst');
  }, 60_000);

  afterAll(async () => {
    await app.stop();
    await database.stop();
  });

  describe('who may ask', () => {
    it.each(ROUTES)('%s: analysts and admins get 200; shoppers and auditors 403; no or a bad token 401', async (path) => {
      const statuses: Record<string, number> = {};
      for (const role of ['analyst', 'admin', 'shopper', 'auditor'] as const) statuses[role] = (await get(path, await tokenFor(role))).status;
      const anonymous = await get(path);
      const forged = await get(path, `${analyst.slice(0, -4)}AAAA`);
      expect({ ...statuses, anonymous: anonymous.status, forged: forged.status }).toEqual({ analyst: 200, admin: 200, shopper: 403, auditor: 403, anonymous: 401, forged: 401 });
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await (await get(path, await tokenFor('shopper'))).json()) as { code: string }).code).toBe('forbidden');
    });
  });

  describe('sales report', () => {
    it('answers the exact report by day for a known history, with the sales projection\'s position', async () => {
      const response = await get(`/api/analytics/sales?${WHOLE}&groupBy=day`, analyst);
      expect(response.status).toBe(200);
      expect(response.headers.get('read-model-position')).toBe(salesPosition.toString());
      expect(await response.json()).toEqual({ from: '2026-11-23T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z', groupBy: 'day', items: EXPECTED_BY_DAY });
    });

    it('groups by day when groupBy is left out', async () => {
      expect(((await (await get(`/api/analytics/sales?${WHOLE}`, analyst)).json()) as { groupBy: string }).groupBy).toBe('day');
    });

    it('orders groupBy=product by descending revenue, then currency, then product id', async () => {
      const body = (await (await get(`/api/analytics/sales?${WHOLE}&groupBy=product`, analyst)).json()) as { items: unknown[] };
      expect(body.items).toEqual(EXPECTED_BY_PRODUCT);
    });

    it('reads `from` 30 days before `to` when only `to` is given, and accepts offsets', async () => {
      const body = (await (await get('/api/analytics/sales?to=2026-11-26T01:00:00%2B01:00', analyst)).json()) as { from: string; to: string; items: unknown[] };
      expect({ from: body.from, to: body.to }).toEqual({ from: '2026-10-27T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' });
      // F's payment on the 20th is in the 30 days too.
      expect(body.items).toEqual([{ day: '2026-11-20', currency: 'EUR', orders: 1, units: 1, revenueCents: 1299 }, ...EXPECTED_BY_DAY]);
    });

    it('waits for a Consistency-Token it can reach, and answers 503 not_caught_up for one beyond the read model', async () => {
      expect((await get(`/api/analytics/sales?${WHOLE}`, analyst, { 'consistency-token': salesPosition.toString() })).status).toBe(200);
      const behind = await get(`/api/analytics/sales?${WHOLE}`, analyst, { 'consistency-token': (salesPosition + 1_000n).toString() });
      expect(behind.status).toBe(503);
      expect(behind.headers.get('retry-after')).toBe('1');
      expect(((await behind.json()) as { code: string }).code).toBe('not_caught_up');
    });
  });

  describe('bad query strings answer 400 problem+json, naming the field', () => {
    it.each([
      ['an unknown parameter', `/api/analytics/sales?${WHOLE}&currency=EUR`, '(root)'],
      ['a date-time that is not one', '/api/analytics/sales?from=yesterday&to=2026-11-26T00:00:00Z', 'from'],
      ['a date without a time', '/api/analytics/sales?from=2026-11-01&to=2026-11-26T00:00:00Z', 'from'],
      ['`from` after `to`', '/api/analytics/sales?from=2026-11-27T00:00:00Z&to=2026-11-26T00:00:00Z', 'from'],
      ['`from` equal to `to`', '/api/analytics/sales?from=2026-11-26T00:00:00Z&to=2026-11-26T00:00:00Z', 'from'],
      ['a range over 366 days', '/api/analytics/sales?from=2025-11-24T00:00:00Z&to=2026-11-26T00:00:00Z', 'to'],
      ['an unknown grouping', `/api/analytics/sales?${WHOLE}&groupBy=week`, 'groupBy'],
      ['a repeated parameter', `/api/analytics/sales?${WHOLE}&groupBy=day&groupBy=product`, 'groupBy'],
      ['a top-products limit of 0', `/api/analytics/top-products?${WHOLE}&limit=0`, 'limit'],
      ['a top-products limit over 100', `/api/analytics/top-products?${WHOLE}&limit=101`, 'limit'],
      ['a fractional stock limit', '/api/analytics/stock?limit=2.5', 'limit'],
      ['an unknown stock parameter', '/api/analytics/stock?sort=desc', '(root)'],
    ])('%s', async (_case, path, field) => {
      const response = await get(path, analyst);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { code: string; errors: Array<{ path: string }> };
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors.map((e) => e.path)).toContain(field);
    });

    it('a stock cursor this API never answered is invalid_cursor', async () => {
      const response = await get('/api/analytics/stock?cursor=bm90LWEtY3Vyc29y', analyst);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe('invalid_cursor');
    });
  });

  describe('top products', () => {
    it('answers the best `limit` products of each currency, currencies apart', async () => {
      const body = (await (await get(`/api/analytics/top-products?${WHOLE}&limit=1`, analyst)).json()) as { limit: number; items: Array<{ productId: string; currency: string }> };
      expect(body.limit).toBe(1);
      expect(body.items.map((r) => [r.currency, r.productId])).toEqual([
        ['EUR', MUG],
        ['USD', HAT],
      ]);
    });
  });

  describe('stock levels', () => {
    it('lists every product lowest stock first, page by page, with the catalog\'s position', async () => {
      const seen: Array<{ productId: string; stockAvailable: number; status: string }> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await get(`/api/analytics/stock?limit=2${cursor ? `&cursor=${cursor}` : ''}`, analyst);
        expect(response.headers.get('read-model-position')).toBe('5');
        const page = (await response.json()) as { items: typeof seen; nextCursor: string | null };
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen.map((s) => s.stockAvailable)).toEqual([0, 3, 3, 7, 12]);
      expect(new Map(seen.map((s) => [s.productId, s.stockAvailable]))).toEqual(stock);
      expect(seen[0]!.status).toBe('discontinued');
      const [three1, three2] = seen.filter((s) => s.stockAvailable === 3);
      expect(three1!.productId < three2!.productId).toBe(true);
    });
  });
});
