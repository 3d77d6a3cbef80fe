import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { appendsWaitingForLock } from '@shop/kernel';
import { retryUntil } from '@shop/testing';
import type { RunningStack } from '../stack.js';
import { startTestStack } from '../testing/test-stack.js';

const PASSWORD = 'scale-test-password';
const UNITS = 50;
const ORDERS = 200;
const address = { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 1AA', country: 'GB' };

interface Answer {
  status: number;
  body: { orderId?: string; code?: string };
  replayed: boolean;
  token: string | null;
}

/**
 * SHOP_INSTANCES=2 as `npm start` runs it: two command-service and two query-service processes behind the gateway
 * (nginx when installed), the projector as two partition processes, on real Postgres, Redis and NATS.
 */
describe('two of each behind the gateway (SHOP_INSTANCES=2)', () => {
  let stack: RunningStack;
  let db: pg.Pool;
  let admin: string;
  /** Four shoppers share the sale, so that no one meets the per-user write limit (200 at once per instance). */
  let shoppers: string[];

  const login = async (email: string): Promise<string> => {
    const response = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  };

  const placeOrder = async (base: string, productId: string, key: string, shopper = shoppers[0]!): Promise<Answer> => {
    const response = await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper}`, 'idempotency-key': key },
      body: JSON.stringify({ lines: [{ productId, quantity: 1 }], shippingAddress: address }),
    });
    return {
      status: response.status,
      body: (await response.json()) as Answer['body'],
      replayed: response.headers.get('idempotent-replayed') === 'true',
      token: response.headers.get('consistency-token'),
    };
  };

  const newProduct = async (initialStock: number): Promise<string> => {
    const response = await fetch(`${stack.url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ sku: `FLASH-${randomUUID().slice(0, 8)}`, name: 'Flash sale', description: '', priceCents: 999, currency: 'EUR', initialStock }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };

  const placedOrders = async (productId: string): Promise<number> =>
    Number(
      (await db.query<{ n: string }>(
        "SELECT count(*) AS n FROM events WHERE event_type = 'OrderPlaced' AND data->'lines' @> jsonb_build_array(jsonb_build_object('productId', $1::text))",
        [productId],
      )).rows[0]!.n,
    );

  beforeAll(async () => {
    stack = await startTestStack({ DEV_USERS_PASSWORD: PASSWORD, SHOP_INSTANCES: 2, SHOP_PROMETHEUS: 'off' });
    db = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
    admin = await login('admin@shop.local');
    shoppers = [await login('shopper@shop.local')];
    for (let i = 1; i < 4; i++) {
      const email = `scale-${i}-${randomUUID()}@example.com`;
      const registered = await fetch(`${stack.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD, name: `Shopper ${i}` }),
      });
      expect(registered.status).toBe(201);
      shoppers.push(await login(email));
    }
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  }, 60_000);

  it('runs two instances of each service and two projector partitions', () => {
    expect(stack.instancePorts.command).toHaveLength(2);
    expect(stack.instancePorts.query).toHaveLength(2);
    expect(stack.instancePorts.projector).toHaveLength(2);
    expect(stack.services.map((service) => service.name)).toEqual(
      expect.arrayContaining(['command-service-1', 'command-service-2', 'query-service-1', 'query-service-2', 'projector-1', 'projector-2']),
    );
  });

  it('sells exactly 50 of 50 units to 200 concurrent orders, each sent twice at once, and store and read model agree', async () => {
    const productId = await newProduct(UNITS);
    const keys = Array.from({ length: ORDERS }, () => randomUUID());
    // Every order twice at the same moment under one key: the gateway spreads the pair over both instances.
    const answers = await Promise.all(
      keys.flatMap((key, i) => [placeOrder(stack.url, productId, key, shoppers[i % 4]), placeOrder(stack.url, productId, key, shoppers[i % 4])]),
    );

    const pairs = keys.map((_, i) => [answers[2 * i]!, answers[2 * i + 1]!] as const);
    for (const [first, second] of pairs) {
      expect(second.status).toBe(first.status);
      expect(second.body).toEqual(first.body);
    }
    const sold = pairs.filter(([first]) => first.status === 201);
    expect(sold).toHaveLength(UNITS);
    expect(pairs.filter(([first]) => first.status === 409 && first.body.code === 'out_of_stock')).toHaveLength(ORDERS - UNITS);
    expect(new Set(sold.map(([first]) => first.body.orderId)).size).toBe(UNITS);
    expect(await placedOrders(productId)).toBe(UNITS);

    // The read model, read through the gateway (either query instance) at the last sale's position, agrees.
    const last = sold.map(([first]) => BigInt(first.token!)).reduce((a, b) => (a > b ? a : b));
    const product = await fetch(`${stack.url}/api/products/${productId}`, { headers: { 'consistency-token': last.toString() } });
    expect(product.status).toBe(200);
    expect(((await product.json()) as { stockAvailable: number }).stockAvailable).toBe(0);

    // Both command instances took orders (each counts its own requests in /metrics).
    for (const port of stack.instancePorts.command) {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/orders"[^}]*status="201"[^}]*\} [1-9]/);
    }
    // Both partitions moved, each in its own process; the projection's own row is the lowest of them (what readers wait on).
    const { rows } = await db.query<{ projection: string }>("SELECT projection FROM projection_checkpoints WHERE projection LIKE 'catalog%' AND position > 0 ORDER BY projection");
    expect(rows.map((row) => row.projection)).toEqual(['catalog', 'catalog/0of2', 'catalog/1of2']);
  }, 60_000);

  it('answers a retry that reaches the other instance while the first is held mid-append with the first answer', async () => {
    const productId = await newProduct(5);
    const key = randomUUID();
    const [first, second] = stack.instancePorts.command.map((port) => `http://127.0.0.1:${port}`) as [string, string];
    // A real lock holds the first request: the event store's append lock, taken in an open transaction.
    const hold = await db.connect();
    await hold.query('BEGIN');
    await hold.query('SELECT pg_advisory_xact_lock(7246002)');
    let firstAnswer: Promise<Answer>;
    let retry: Promise<Answer>;
    try {
      firstAnswer = placeOrder(first, productId, key);
      await retryUntil('the first order to wait for the append lock', async () => {
        if ((await appendsWaitingForLock(db)) < 1) throw new Error('not queued yet');
      }, { timeoutMs: 10_000, intervalMs: 20 });
      retry = placeOrder(second, productId, key);
      await retryUntil('the retry to wait for the append lock too', async () => {
        if ((await appendsWaitingForLock(db)) < 2) throw new Error('not queued yet');
      }, { timeoutMs: 10_000, intervalMs: 20 });
    } finally {
      await hold.query('COMMIT');
      hold.release();
    }
    const [a, b] = await Promise.all([firstAnswer, retry]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    expect([a, b].filter((answer) => answer.replayed)).toHaveLength(1);
    expect(await placedOrders(productId)).toBe(1);
  }, 30_000);
});
