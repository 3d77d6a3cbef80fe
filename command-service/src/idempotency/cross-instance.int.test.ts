import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { PERSONAL_DATA } from '@shop/domain';
import { appendsWaitingForLock, createPool, PersonalDataCodec, PersonalDataEventStore, PostgresDataKeyRing, PostgresEventStore, waitUntilIdle } from '@shop/kernel';
import { accountTokenVersions, createLogger, createTokenService } from '@shop/service-kit';
import { retryUntil } from '@shop/testing';
import { buildCommandApp } from '../app.js';
import { startCommandApp, TEST_DATA_KEY_ENCRYPTION_KEY, type CommandAppHarness } from '../testing/command-app.js';
import { KEY_COMPLETION_CHANNEL } from './key-completions.js';

const address = { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 1AA', country: 'GB' };
const LIMITS = { burst: 10_000, perSecond: 10_000 };

interface Instance {
  placeOrder(token: string, productId: string, key: string): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Another command-service instance on the same database: its own pools, caches, idempotency store and listener, as a
 * second process has. `appendClaims: false` runs it over a store that cannot claim a key in its append (as the
 * KurrentDB adapter), so the key is claimed first and stays "in progress" while the create runs.
 */
async function startInstance(harness: CommandAppHarness, options: { appendClaims: boolean; waitMs?: number }): Promise<Instance> {
  const pool = createPool(harness.databaseUrl, { max: 10 });
  const raw = new PostgresEventStore(pool);
  const inner = options.appendClaims ? raw : (Object.create(raw, { claimsIdempotencyKeys: { value: false } }) as PostgresEventStore);
  const keys = new PostgresDataKeyRing(pool, TEST_DATA_KEY_ENCRYPTION_KEY);
  const store = new PersonalDataEventStore(inner, new PersonalDataCodec(keys, PERSONAL_DATA));
  const tokens = createTokenService({ privateKey: harness.signingKeys.privateKey, issuer: 'shop', audience: 'shop-api', ttlSeconds: 600, versions: accountTokenVersions(pool) });
  const { app } = buildCommandApp({
    pool, bookkeeping: pool, store, keys, tokens, logger: createLogger('test', 'silent'), bodyLimitBytes: 64 * 1024, writeLimit: LIMITS, loginLimit: LIMITS,
    ...(options.waitMs === undefined ? {} : { idempotencyWaitMs: options.waitMs }),
  });
  const http: Server = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    placeOrder: (token, productId, key) =>
      fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
        body: JSON.stringify({ lines: [{ productId, quantity: 1 }], shippingAddress: address }),
      }),
    async close() {
      await new Promise((resolve) => http.close(resolve));
      await waitUntilIdle([pool]);
      await pool.end();
    },
  };
}

/** Holds the event store's append lock in an open transaction: every append on every instance queues behind it. */
async function holdAppends(pool: pg.Pool): Promise<{ release(): Promise<void> }> {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock(7246002)');
  return {
    async release() {
      await client.query('COMMIT');
      client.release();
    },
  };
}

describe('a retry that reaches another command-service instance while the first request is still running', () => {
  let harness: CommandAppHarness;
  let admin: string;
  const instances: Instance[] = [];

  beforeAll(async () => {
    harness = await startCommandApp(LIMITS);
    admin = await harness.tokenFor('admin@shop.local');
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await harness?.close();
  });

  const newProduct = async (): Promise<string> => {
    const response = await harness.request('POST', '/api/products', {
      token: admin,
      body: { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Thing', description: '', priceCents: 1250, currency: 'EUR', initialStock: 10 },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };

  const orderEvents = async (): Promise<number> => Number((await harness.pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE event_type = 'OrderPlaced'")).rows[0]!.n);

  /** Resolves once some session of the test database LISTENs for key completions: the retry is waiting. */
  const retryIsWaiting = (): Promise<void> =>
    retryUntil('the retry to wait on its key', async () => {
      const { rows } = await harness.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN ${KEY_COMPLETION_CHANNEL}'`,
      );
      if (rows[0]!.n === 0) throw new Error('nobody listens yet');
    }, { timeoutMs: 10_000, intervalMs: 20 });

  it('waits for the first answer and replays it, when the key was claimed before the create (store without append claims)', async () => {
    const first = await startInstance(harness, { appendClaims: false });
    const second = await startInstance(harness, { appendClaims: false });
    instances.push(first, second);
    const shopper = await harness.newShopper();
    const productId = await newProduct();
    const key = randomUUID();
    const before = await orderEvents();

    const hold = await holdAppends(harness.pool);
    const firstAnswer = first.placeOrder(shopper.token, productId, key);
    await retryUntil('the first order to queue behind the held append lock', async () => {
      if ((await appendsWaitingForLock(harness.pool)) !== 1) throw new Error('not queued yet');
    }, { timeoutMs: 10_000, intervalMs: 20 });
    const retry = second.placeOrder(shopper.token, productId, key);
    await retryIsWaiting();
    await hold.release();

    const [a, b] = await Promise.all([firstAnswer, retry]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(await b.json()).toEqual(await a.json());
    expect(b.headers.get('consistency-token')).toBe(a.headers.get('consistency-token'));
    expect(await orderEvents()).toBe(before + 1);
  });

  it('answers 409 in progress when the first request outlasts the wait', async () => {
    const first = await startInstance(harness, { appendClaims: false });
    const impatient = await startInstance(harness, { appendClaims: false, waitMs: 200 });
    instances.push(first, impatient);
    const shopper = await harness.newShopper();
    const productId = await newProduct();
    const key = randomUUID();

    const hold = await holdAppends(harness.pool);
    const firstAnswer = first.placeOrder(shopper.token, productId, key);
    try {
      await retryUntil('the first order to queue behind the held append lock', async () => {
        if ((await appendsWaitingForLock(harness.pool)) !== 1) throw new Error('not queued yet');
      }, { timeoutMs: 10_000, intervalMs: 20 });
      const retry = await impatient.placeOrder(shopper.token, productId, key);
      expect(retry.status).toBe(409);
      expect(retry.headers.get('retry-after')).toBe('1');
      expect(((await retry.json()) as { code: string }).code).toBe('idempotency_request_in_progress');
    } finally {
      await hold.release();
    }
    expect((await firstAnswer).status).toBe(201);
  });

  it('places one order and answers both with it when both instances race their appends (key claimed in the append)', async () => {
    const first = await startInstance(harness, { appendClaims: true });
    const second = await startInstance(harness, { appendClaims: true });
    instances.push(first, second);
    const shopper = await harness.newShopper();
    const productId = await newProduct();
    const key = randomUUID();
    const before = await orderEvents();

    const hold = await holdAppends(harness.pool);
    const answers = [first.placeOrder(shopper.token, productId, key), second.placeOrder(shopper.token, productId, key)] as const;
    await retryUntil('both orders to queue behind the held append lock', async () => {
      if ((await appendsWaitingForLock(harness.pool)) !== 2) throw new Error('not queued yet');
    }, { timeoutMs: 10_000, intervalMs: 20 });
    await hold.release();

    const [a, b] = await Promise.all(answers);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a, b].filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
    expect(await b.json()).toEqual(await a.json());
    expect(await orderEvents()).toBe(before + 1);
  });
});
