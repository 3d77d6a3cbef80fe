import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CATALOG_PROJECTION, OrderView, ORDERS_PROJECTION, redactShippingAddress } from '@shop/read-models';
import type { Principal } from '@shop/service-kit';
import { commitAsProjector } from '../testing/projector-commit.js';
import { createTestTokens, serveReadModels, TEST_TOKENS, type ReadModelsApp } from '../testing/query-test-app.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';

const address = { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };

interface OrderFixture {
  id: string;
  customerId: string;
  /** Postgres text of the time, microseconds included. */
  placedAt: string;
  version?: number;
  forgotten?: boolean;
}

describe('order reads over HTTP (real Postgres)', () => {
  let database: TestDatabase;
  let app: ReadModelsApp;
  let position = 0n;

  const alice = randomUUID();
  const bob = randomUUID();
  const forgottenCustomer = randomUUID();
  const aliceOrders: OrderFixture[] = [];
  const bobOrders: OrderFixture[] = [];
  let redactedOrder: OrderFixture;

  /** What the projector does at commit: read-model rows + checkpoint + NOTIFY, in one transaction. */
  async function projectOrders(orders: readonly OrderFixture[], at: bigint): Promise<void> {
    await commitAsProjector(database.pool, ORDERS_PROJECTION, at, async (client) => {
      for (const order of orders) {
        const lines = [{ productId: randomUUID(), sku: 'MUG-1', name: 'Mug', quantity: 2, unitPriceCents: 1299, lineTotalCents: 2598 }];
        await client.query(
          `INSERT INTO orders (id, customer_id, status, lines, currency, total_cents, shipping_address, placed_at, payment_method, paid_at,
                               customer_forgotten_at, version, last_position)
           VALUES ($1, $2, $3, $4, 'EUR', 2598, $5, $6, $7, $8, $9, $10, $11)`,
          [
            order.id,
            order.customerId,
            (order.version ?? 1) > 1 ? 'paid' : 'placed',
            JSON.stringify(lines),
            JSON.stringify(order.forgotten ? redactShippingAddress(address) : address),
            order.placedAt,
            (order.version ?? 1) > 1 ? 'card' : null,
            (order.version ?? 1) > 1 ? order.placedAt : null,
            order.forgotten ? '2026-12-01T00:00:00Z' : null,
            order.version ?? 1,
            at.toString(),
          ],
        );
      }
    });
    position = at;
  }

  const tokenOf = (principal: Omit<Principal, 'userId' | 'tokenVersion'>): Promise<string> => TEST_TOKENS.issue(database.pool, { userId: randomUUID(), ...principal });
  const get = (path: string, token?: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${app.base}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  type Page = { items: OrderView[]; nextCursor: string | null };
  const everyPage = async (token: string, limit: number): Promise<OrderView[]> => {
    const seen: OrderView[] = [];
    let cursor: string | null = null;
    do {
      const response: Response = await get(`/api/orders?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  };
  /** The newest-first order, as Postgres sorts it (times compared to the microsecond). */
  const newestFirst = async (customerId?: string): Promise<string[]> =>
    (
      await database.pool.query<{ id: string }>(
        `SELECT id FROM orders ${customerId ? 'WHERE customer_id = $1' : ''} ORDER BY placed_at DESC, id DESC`,
        customerId ? [customerId] : [],
      )
    ).rows.map((r) => r.id);

  beforeAll(async () => {
    database = await startTestDatabase();
    app = await serveReadModels(database);

    // 45 of Alice's orders: some share a placedAt exactly (ties broken by id), some differ by one microsecond only
    // (a page boundary between them must not lose or repeat either).
    for (let i = 0; i < 45; i++) {
      const second = String(Math.floor(i / 3)).padStart(2, '0');
      const micro = i % 3 === 2 ? '000001' : '000000';
      aliceOrders.push({ id: randomUUID(), customerId: alice, placedAt: `2026-11-01T10:00:${second}.${micro}Z`, version: 1 + (i % 4) });
    }
    for (let i = 0; i < 5; i++) bobOrders.push({ id: randomUUID(), customerId: bob, placedAt: `2026-11-02T10:00:0${i}Z` });
    redactedOrder = { id: randomUUID(), customerId: forgottenCustomer, placedAt: '2026-11-03T10:00:00Z', version: 2, forgotten: true };
    await projectOrders([...aliceOrders, ...bobOrders, redactedOrder], 40n);
    // The catalog stands elsewhere: the order routes must answer the orders read model's position, not this one.
    await database.pool.query("INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 7) ON CONFLICT (projection) DO UPDATE SET position = 7", [CATALOG_PROJECTION]);
    await app.positions.refresh();
  }, 60_000);

  afterAll(async () => {
    await app.stop();
    await database.stop();
  });

  describe('who may read what', () => {
    let aliceToken: string;
    let bobToken: string;
    let orderPath: string;
    beforeAll(async () => {
      aliceToken = await tokenOf({ role: 'shopper', customerId: alice });
      bobToken = await tokenOf({ role: 'shopper', customerId: bob });
      orderPath = `/api/orders/${aliceOrders[0]!.id}`;
    });

    it.each(['/api/orders', '/api/orders/:id'])('answers %s without a token 401 unauthenticated with WWW-Authenticate', async (route) => {
      const response = await get(route === '/api/orders' ? route : orderPath);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ code: 'unauthenticated' });
    });

    it.each(['/api/orders', '/api/orders/:id'])('answers %s with a forged token 401 unauthenticated', async (route) => {
      // Well-formed, of an existing admin account, but signed with another key pair.
      const token = await createTestTokens().issue(database.pool, { userId: randomUUID(), role: 'admin' });
      const response = await get(route === '/api/orders' ? route : orderPath, token);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'unauthenticated' });
    });

    it.each(['/api/orders', '/api/orders/:id'])('answers %s for an analyst 403 forbidden', async (route) => {
      const response = await get(route === '/api/orders' ? route : orderPath, await tokenOf({ role: 'analyst' }));
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'forbidden' });
    });

    it('lets a shopper read their own order', async () => {
      const response = await get(orderPath, aliceToken);
      expect(response.status).toBe(200);
      expect(OrderView.parse(await response.json())).toMatchObject({ id: aliceOrders[0]!.id, customerId: alice, shippingAddress: address });
    });

    it("answers another shopper's order 404 order_not_found, exactly like a missing one", async () => {
      const missing = randomUUID();
      const [theirs, absent] = await Promise.all([get(orderPath, bobToken), get(`/api/orders/${missing}`, bobToken)]);
      expect([theirs.status, absent.status]).toEqual([404, 404]);
      const [theirsBody, absentBody] = (await Promise.all([theirs.json(), absent.json()])) as Array<Record<string, unknown>>;
      expect(theirsBody).toEqual({ ...absentBody, detail: `No order ${aliceOrders[0]!.id}` });
      expect(absentBody).toMatchObject({ code: 'order_not_found', status: 404 });
      expect(theirs.headers.get('etag')).toBeNull();
    });

    it('lists for a shopper only their own orders', async () => {
      const bobs = await everyPage(bobToken, 100);
      expect(bobs.map((o) => o.id).sort()).toEqual(bobOrders.map((o) => o.id).sort());
    });

    it('gives a shopper token without a customer an empty list and 404 for any order', async () => {
      const token = await tokenOf({ role: 'shopper' });
      expect(await (await get('/api/orders', token)).json()).toEqual({ items: [], nextCursor: null });
      expect((await get(orderPath, token)).status).toBe(404);
    });

    it.each(['admin', 'auditor'] as const)('lets %s read any order and list every order', async (role) => {
      const token = await tokenOf({ role });
      expect((await get(orderPath, token)).status).toBe(200);
      expect((await get(`/api/orders/${bobOrders[0]!.id}`, token)).status).toBe(200);
      const all = await everyPage(token, 100);
      expect(all.map((o) => o.id)).toEqual(await newestFirst());
    });
  });

  describe('pagination', () => {
    it.each([1, 7, 15, 45, 100])('pages a shopper newest first in pages of %i, with no duplicates and no gaps', async (limit) => {
      const seen = await everyPage(await tokenOf({ role: 'shopper', customerId: alice }), limit);
      expect(seen.map((o) => o.id)).toEqual(await newestFirst(alice));
      expect(new Set(seen.map((o) => o.id)).size).toBe(aliceOrders.length);
    });

    it('pages every order for admin across customers with no duplicates and no gaps', async () => {
      const seen = await everyPage(await tokenOf({ role: 'admin' }), 8);
      expect(seen.map((o) => o.id)).toEqual(await newestFirst());
    });

    it('defaults to pages of 20', async () => {
      const page = (await (await get('/api/orders', await tokenOf({ role: 'shopper', customerId: alice }))).json()) as Page;
      expect(page.items).toHaveLength(20);
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('answers every item in the allow-listed Order shape', async () => {
      const page = (await (await get('/api/orders?limit=100', await tokenOf({ role: 'admin' }))).json()) as Page;
      for (const item of page.items) expect(OrderView.parse(item)).toEqual(item);
    });
  });

  describe('filters (status, placedFrom, placedTo)', () => {
    /** Every page of a filtered listing, following nextCursor to the end. */
    const everyFilteredPage = async (token: string, filters: string, limit = 4): Promise<string[]> => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response: Response = await get(`/api/orders?${filters}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
        expect(response.status).toBe(200);
        const page = (await response.json()) as Page;
        seen.push(...page.items.map((o) => o.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    /** What Postgres itself says the filtered listing is, newest first. */
    const expected = async (where: string, values: unknown[]): Promise<string[]> =>
      (await database.pool.query<{ id: string }>(`SELECT id FROM orders WHERE ${where} ORDER BY placed_at DESC, id DESC`, values)).rows.map((r) => r.id);

    it('lists every order of one status for admin and auditor, newest first, across pages', async () => {
      const paid = await expected("status = 'paid'", []);
      expect(paid.length).toBeGreaterThan(4);
      for (const role of ['admin', 'auditor'] as const) expect(await everyFilteredPage(await tokenOf({ role }), 'status=paid')).toEqual(paid);
    });

    it('keeps a shopper to their own orders under a filter', async () => {
      expect(await everyFilteredPage(await tokenOf({ role: 'shopper', customerId: alice }), 'status=placed')).toEqual(await expected("status = 'placed' AND customer_id = $1", [alice]));
      expect(await everyFilteredPage(await tokenOf({ role: 'shopper', customerId: bob }), 'status=paid')).toEqual([]);
    });

    it('takes dates as whole UTC days, placedFrom included and placedTo not', async () => {
      const admin = await tokenOf({ role: 'admin' });
      expect(await everyFilteredPage(admin, 'placedFrom=2026-11-02&placedTo=2026-11-03')).toEqual([...bobOrders].reverse().map((o) => o.id));
      expect(await everyFilteredPage(admin, 'placedTo=2026-11-02')).toEqual(await newestFirst(alice));
    });

    it('takes date-times with Z or an offset, to the microsecond', async () => {
      const admin = await tokenOf({ role: 'admin' });
      expect(await everyFilteredPage(admin, 'placedFrom=2026-11-01T10:00:05Z&placedTo=2026-11-01T10:00:09.000001Z')).toEqual(
        await expected("placed_at >= '2026-11-01T10:00:05Z' AND placed_at < '2026-11-01T10:00:09.000001Z'", []),
      );
      expect(await everyFilteredPage(admin, `placedFrom=${encodeURIComponent('2026-11-02T11:00:02+01:00')}&placedTo=2026-11-04`)).toEqual([
        redactedOrder.id,
        ...bobOrders.slice(2).reverse().map((o) => o.id),
      ]);
    });

    it('combines status and dates', async () => {
      expect(await everyFilteredPage(await tokenOf({ role: 'auditor' }), 'status=paid&placedFrom=2026-11-01T10:00:10Z&placedTo=2026-11-02', 2)).toEqual(
        await expected("status = 'paid' AND placed_at >= '2026-11-01T10:00:10Z' AND placed_at < '2026-11-02T00:00:00Z'", []),
      );
    });

    it.each([
      ['status=delivered', 'status'],
      ['status=PAID', 'status'],
      ['placedFrom=yesterday', 'placedFrom'],
      ['placedFrom=2026-11-01T10:00:00', 'placedFrom'],
      ['placedFrom=2026-13-01', 'placedFrom'],
      ['placedTo=2026-02-30', 'placedTo'],
      ['placedFrom=2026-11-02&placedTo=2026-11-02', 'placedTo'],
      ['placedFrom=2026-11-03&placedTo=2026-11-02', 'placedTo'],
      ['status=paid&status=placed', 'status'],
      ['placedFrom=null&placedTo=2026-11-02', 'placedFrom'],
    ])('answers %s with 400 validation_failed naming %s', async (query, field) => {
      const response = await get(`/api/orders?${query}`, await tokenOf({ role: 'admin' }));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: field }] });
    });
  });

  describe('bad input', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenOf({ role: 'admin' });
    });
    const cursorOf = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

    it.each([
      ['/api/orders?limit=0', 'validation_failed'],
      ['/api/orders?limit=101', 'validation_failed'],
      ['/api/orders?limit=2.5', 'validation_failed'],
      ['/api/orders?limit=ten', 'validation_failed'],
      ['/api/orders?colour=red', 'validation_failed'],
      ['/api/orders?limit=5&limit=6', 'validation_failed'],
      ['/api/orders?cursor=garbage', 'invalid_cursor'],
      [`/api/orders?cursor=${cursorOf({ placedAt: 'yesterday', id: randomUUID() })}`, 'invalid_cursor'],
      [`/api/orders?cursor=${cursorOf({ placedAt: '2026-11-01T10:00:00Z', id: 'not-a-uuid' })}`, 'invalid_cursor'],
      [`/api/orders?cursor=${cursorOf({ placedAt: '2026-11-01T10:00:00Z', id: randomUUID(), extra: 1 })}`, 'invalid_cursor'],
      ['/api/orders/not-a-uuid', 'validation_failed'],
      ['/api/orders/123', 'validation_failed'],
    ])('answers GET %s with 400 %s', async (path, code) => {
      const response = await get(path, token);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ code });
    });

    it('answers a bad query at once, even with a Consistency-Token the read model has not reached', async () => {
      const started = Date.now();
      const response = await get('/api/orders?limit=0', token, { 'consistency-token': '999999' });
      expect(response.status).toBe(400);
      expect(Date.now() - started).toBeLessThan(400);
    });

    it('rejects a malformed Consistency-Token', async () => {
      const response = await get('/api/orders', token, { 'consistency-token': 'soon' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'invalid_consistency_token' });
    });
  });

  describe('conditional GET', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenOf({ role: 'shopper', customerId: alice });
    });
    const paid = (): OrderFixture => aliceOrders.find((o) => o.version === 3)!;

    it('answers ETag "<version>" and Cache-Control private on one order', async () => {
      const response = await get(`/api/orders/${paid().id}`, token);
      expect(response.headers.get('etag')).toBe('"3"');
      expect(response.headers.get('cache-control')).toBe('private, no-cache');
      expect(((await response.json()) as OrderView).version).toBe(3);
    });

    it.each(['"3"', 'W/"3"', '"1", "3"', '*'])('answers If-None-Match: %s with 304, no body, the ETag and the read-model position', async (header) => {
      const response = await get(`/api/orders/${paid().id}`, token, { 'if-none-match': header });
      expect(response.status).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('etag')).toBe('"3"');
      expect(response.headers.get('read-model-position')).toBe(position.toString());
    });

    it('answers an older ETag in full', async () => {
      const response = await get(`/api/orders/${paid().id}`, token, { 'if-none-match': '"2"' });
      expect(response.status).toBe(200);
      expect(((await response.json()) as OrderView).id).toBe(paid().id);
    });

    it('never answers 304 for another shopper, whatever If-None-Match says', async () => {
      const response = await get(`/api/orders/${paid().id}`, await tokenOf({ role: 'shopper', customerId: bob }), { 'if-none-match': '*' });
      expect(response.status).toBe(404);
    });

    it('answers a redacted order (its customer forgotten) whole, redacted, and without an ETag', async () => {
      const admin = await tokenOf({ role: 'admin' });
      const response = await get(`/api/orders/${redactedOrder.id}`, admin, { 'if-none-match': '"2"' });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBeNull();
      expect(((await response.json()) as OrderView).shippingAddress).toEqual({ line1: '[erased]', city: '[erased]', postalCode: '[erased]', country: 'GB' });
    });
  });

  describe('read-your-writes', () => {
    it('answers the orders read model position (not another projection\'s) on lists and single orders', async () => {
      const token = await tokenOf({ role: 'admin' });
      for (const path of ['/api/orders', `/api/orders/${aliceOrders[0]!.id}`]) {
        expect((await get(path, token)).headers.get('read-model-position')).toBe(position.toString());
      }
    });

    it('waits for a Consistency-Token ahead of the orders read model and answers the order once it is projected', async () => {
      const token = await tokenOf({ role: 'shopper', customerId: alice });
      const fresh: OrderFixture = { id: randomUUID(), customerId: alice, placedAt: '2026-11-05T00:00:00Z' };
      const at = position + 5n;
      const pending = get(`/api/orders/${fresh.id}`, token, { 'consistency-token': at.toString() });
      const listing = get('/api/orders?limit=1', token, { 'consistency-token': at.toString() });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await projectOrders([fresh], at);
      const [one, list] = await Promise.all([pending, listing]);
      expect(one.status).toBe(200);
      expect(one.headers.get('read-model-position')).toBe(at.toString());
      expect(((await one.json()) as OrderView).id).toBe(fresh.id);
      expect(list.status).toBe(200);
      expect(((await list.json()) as Page).items.map((o) => o.id)).toEqual([fresh.id]);
      aliceOrders.push(fresh);
    });

    it('answers 503 not_caught_up with Retry-After when the orders read model does not reach the token in time', async () => {
      const response = await get('/api/orders', await tokenOf({ role: 'admin' }), { 'consistency-token': (position + 1_000n).toString() });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({ code: 'not_caught_up', position: position.toString() });
    });
  });
});
