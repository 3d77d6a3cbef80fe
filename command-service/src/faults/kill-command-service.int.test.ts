import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { applySchema, createPool } from '@shop/kernel';
import { freePort, generateEd25519KeyPair, keyText } from '@shop/service-kit';
import { startTestPostgres, type TestPostgres } from '@shop/testing';

const COMMAND_SERVICE = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const PASSWORD = 'fault-test-password';
// One key across restarts, as a deployment keeps its key: tokens issued before a kill stay valid after it.
const SIGNING_KEY = keyText(generateEd25519KeyPair().privateKey);
const PRODUCTS = 20;
const ORDERS = 400;
const CONCURRENCY = 16;
const KILLS = 3;
const address = { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 1AA', country: 'GB' };

/**
 * The real command service process killed with SIGKILL, again and again, while shoppers place orders with
 * Idempotency-Keys and retry every request that got no answer (as a client must). Afterwards: no order was placed
 * twice, and every key is answered 201 with its one order, also the keys whose process died between the commit and
 * storing the answer (their retry is answered from the store).
 */
describe('the command service killed with SIGKILL while orders are placed', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let port: number;
  let service: ChildProcess | undefined;

  const base = (): string => `http://127.0.0.1:${port}`;

  const start = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, [COMMAND_SERVICE], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: database.url,
        JWT_PRIVATE_KEY: SIGNING_KEY,
        DEV_USERS_PASSWORD: PASSWORD,
        DATA_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 0x5a).toString('base64'),
        RATE_LIMIT_BURST: '1000000',
        RATE_LIMIT_PER_SECOND: '1000000',
        LOG_LEVEL: 'fatal',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deadline = Date.now() + 20_000;
    while (!(await fetch(`${base()}/readyz`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the command service did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return child;
  };

  const kill = async (): Promise<void> => {
    const child = service;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };

  const post = (path: string, token: string, body: unknown, key: string): Promise<Response> =>
    fetch(`${base()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });

  const login = async (email: string): Promise<string> => {
    const response = await fetch(`${base()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    return ((await response.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url, { max: 4 });
    await applySchema(pool);
    port = await freePort();
    service = await start();
  }, 60_000);

  afterAll(async () => {
    await kill();
    await pool.end();
    await database.stop();
  });

  it('places no order twice, and answers every key with its one order', async () => {
    const admin = await login('admin@shop.local');
    const shopper = await login('shopper@shop.local');
    const products: string[] = [];
    for (let n = 0; n < PRODUCTS; n++) {
      const body = { sku: `KILL-${n}`, name: `Product ${n}`, description: '', priceCents: 100, currency: 'EUR', initialStock: 1_000_000 };
      const response = await post('/api/products', admin, body, randomUUID());
      expect(response.status).toBe(201);
      products.push(((await response.json()) as { id: string }).id);
    }

    const linesOf = (n: number) => [0, 7, 13].map((offset) => ({ productId: products[(n + offset) % PRODUCTS]!, quantity: 1 }));
    // Each order: its own key and body, sent until it gets an answer; a dead service only means "send it again".
    const answers = new Map<string, { status: number; orderId?: string }>();
    const outcomes = { retriedAfterNoAnswer: 0, inProgress: 0 };
    const placeUntilAnswered = async (n: number): Promise<void> => {
      const key = `order-${n}-${randomUUID()}`;
      const lines = linesOf(n);
      for (let attempt = 0; attempt < 200; attempt++) {
        const response = await post('/api/orders', shopper, { lines, shippingAddress: address }, key).catch(() => undefined);
        if (!response) {
          outcomes.retriedAfterNoAnswer++;
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        const body = (await response.json()) as { orderId?: string; code?: string };
        if (response.status === 409 && body.code === 'idempotency_request_in_progress') {
          // Either still running elsewhere (answered on a later try) or orphaned by a kill (stays so).
          if (attempt >= 20) {
            outcomes.inProgress++;
            answers.set(key, { status: 409 });
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        answers.set(key, { status: response.status, orderId: body.orderId });
        return;
      }
      throw new Error(`order ${n}: no answer after 200 attempts`);
    };

    let next = 0;
    const killAt = new Set(Array.from({ length: KILLS }, (_, k) => Math.floor(((k + 1) * ORDERS) / (KILLS + 1))));
    const worker = async (): Promise<void> => {
      while (next < ORDERS) {
        const n = next++;
        if (killAt.has(n)) {
          // Mid-stream: the other workers' requests are in flight right now.
          await kill();
          service = await start();
        }
        await placeUntilAnswered(n);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(answers.size).toBe(ORDERS);
    expect(outcomes).toMatchObject({ inProgress: 0 });
    expect([...answers.values()].every((a) => a.status === 201)).toBe(true);
    expect(outcomes.retriedAfterNoAnswer).toBeGreaterThan(0);

    const placed = [...answers.values()].filter((a) => a.status === 201).map((a) => a.orderId!);
    expect(new Set(placed).size).toBe(placed.length);
    const { rows } = await pool.query<{ order_id: string }>(
      "SELECT data->>'orderId' AS order_id FROM events WHERE event_type = 'OrderPlaced'",
    );
    const stored = rows.map((r) => r.order_id);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.sort()).toEqual([...placed].sort());
    // Each order reserved its three lines, once: stock moved by exactly three units per stored order.
    const { rows: reserved } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE event_type = 'StockReserved'");
    expect(Number(reserved[0]!.n)).toBe(3 * stored.length);

    // An answered key is replayed with its one order, by the process that did not write it.
    const [someKey, someAnswer] = [...answers.entries()].find(([, a]) => a.status === 201)!;
    const replay = await post('/api/orders', shopper, { lines: linesOf(Number(someKey.split('-')[1])), shippingAddress: address }, someKey);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { orderId: string }).orderId).toBe(someAnswer.orderId);
  }, 180_000);
});
