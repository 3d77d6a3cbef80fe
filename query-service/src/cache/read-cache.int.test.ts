import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { CACHE_TTL_SECONDS, CATALOG_PROJECTION, cacheEntryValue, cacheMarkerValue, ENTRY_RANK, MARKER_RANK, orderCacheKey, parseCacheEntry, productCacheKey, withStampedSet, type StampedRedis } from '@shop/read-models';
import { createLogger, freePort } from '@shop/service-kit';
import { retryUntil, startTestRedis, type TestRedis } from '@shop/testing';
import { commitAsProjector } from '../testing/projector-commit.js';
import { serveReadModels, TEST_TOKENS, type ReadModelsApp } from '../testing/query-test-app.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { connectCacheRedis, RedisReadCache, type ReadCache } from './read-cache.js';

const logger = createLogger('test', 'silent');
const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/** Counts the statements the query service sends, by name, to prove single-flight. */
function countingPool(pool: pg.Pool): { pool: pg.Pool; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const counted = new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
      return (...args: unknown[]) => {
        const name = (args[0] as { name?: string }).name ?? 'unnamed';
        reads.set(name, (reads.get(name) ?? 0) + 1);
        return query(...args);
      };
    },
  });
  return { pool: counted, reads };
}

/** The app under test reads through `cache`, and waits up to 2 s for a Consistency-Token. */
const serveCachedReads = (database: TestDatabase, cache: ReadCache, pool?: pg.Pool): Promise<ReadModelsApp> =>
  serveReadModels(database, { cache, maxConsistencyWaitMs: 2_000 }, pool);

describe('position-stamped cache (real Redis, Postgres, over HTTP)', () => {
  let database: TestDatabase;
  let cacheServer: TestRedis;
  let counted: ReturnType<typeof countingPool>;
  let redis: StampedRedis;
  let app: ReadModelsApp;
  let position = 0n;

  /**
   * What the catalog projection does: the row change and the checkpoint in one transaction with its NOTIFY, then
   * (after commit, like the projector) the marker. `markAfterCommit: false` leaves the marker out, as if the
   * projector were slow to send it.
   */
  async function commitProduct(id: string, name: string, version: number, markAfterCommit = true): Promise<bigint> {
    position += 1n;
    const at = position;
    await commitAsProjector(database.pool, CATALOG_PROJECTION, at, async (client) => {
      await client.query(
        `INSERT INTO catalog_products (id, sku, name, description, price_cents, currency, stock_available, version, created_at, updated_at, last_position)
         VALUES ($1, $2, $3, '', 250, 'EUR', 7, $4, now(), now(), $5)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version, last_position = EXCLUDED.last_position`,
        [id, `SKU-${id.slice(0, 8)}`, name, version, at.toString()],
      );
    });
    if (markAfterCommit) await redis.stampedSet(productCacheKey(id), at.toString(), MARKER_RANK, cacheMarkerValue(at), CACHE_TTL_SECONDS);
    return at;
  }

  beforeAll(async () => {
    [database, cacheServer] = await Promise.all([startTestDatabase({ poolSize: 20 }), startTestRedis()]);
    counted = countingPool(database.pool);
    redis = withStampedSet(new Redis(cacheServer.url));
    app = await serveCachedReads(database, new RedisReadCache(redis, logger), counted.pool);
  });

  afterAll(async () => {
    await app.stop();
    redis.disconnect();
    await Promise.all([database.stop(), cacheServer.stop()]);
  });

  describe('stampedSet', () => {
    const key = (): string => `test:${randomUUID()}`;
    const entry = (at: bigint, body = `{"at":${at}}`): string => cacheEntryValue({ position: at, etag: String(at), scope: '', body });
    const set = (k: string, at: bigint, rank: number, value: string): Promise<number> =>
      redis.stampedSet(k, at.toString(), rank, value, CACHE_TTL_SECONDS);

    it('refuses a body read before a commit once that commit has marked the key (the slow reader race)', async () => {
      const k = key();
      await set(k, 10n, MARKER_RANK, cacheMarkerValue(10n));
      expect(await set(k, 9n, ENTRY_RANK, entry(9n))).toBe(0);
      expect(await redis.get(k)).toBe(cacheMarkerValue(10n));
    });

    it('lets a body read at the marked position or later replace the marker', async () => {
      const k = key();
      await set(k, 10n, MARKER_RANK, cacheMarkerValue(10n));
      expect(await set(k, 10n, ENTRY_RANK, entry(10n))).toBe(1);
      expect(parseCacheEntry((await redis.get(k))!)?.position).toBe(10n);
    });

    it('keeps an entry when a marker of the same position arrives late', async () => {
      const k = key();
      await set(k, 10n, ENTRY_RANK, entry(10n));
      expect(await set(k, 10n, MARKER_RANK, cacheMarkerValue(10n))).toBe(0);
    });

    it('never lets an older entry replace a newer one', async () => {
      const k = key();
      await set(k, 12n, ENTRY_RANK, entry(12n));
      expect(await set(k, 11n, ENTRY_RANK, entry(11n))).toBe(0);
      expect(await set(k, 13n, ENTRY_RANK, entry(13n))).toBe(1);
    });

    it('compares positions beyond 2^53 exactly', async () => {
      const k = key();
      const big = 9_007_199_254_740_993n;
      await set(k, big, MARKER_RANK, cacheMarkerValue(big));
      expect(await set(k, big - 1n, ENTRY_RANK, entry(big - 1n))).toBe(0);
      expect(await set(k, big, ENTRY_RANK, entry(big))).toBe(1);
    });

    it('gives every value the TTL as a safety net', async () => {
      const k = key();
      await set(k, 1n, ENTRY_RANK, entry(1n));
      const ttl = await redis.ttl(k);
      expect(ttl).toBeGreaterThan(CACHE_TTL_SECONDS - 5);
      expect(ttl).toBeLessThanOrEqual(CACHE_TTL_SECONDS);
    });
  });

  it('answers a product with ETag and Read-Model-Position, and 304 to If-None-Match', async () => {
    const id = randomUUID();
    const at = await commitProduct(id, 'Teapot', 1);
    await app.positions.of(CATALOG_PROJECTION).waitFor(at, 2_000);
    const first = await fetch(`${app.base}/api/products/${id}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.headers.get('read-model-position')).toBe(at.toString());
    expect(await first.json()).toMatchObject({ id, name: 'Teapot', version: 1 });
    const again = await fetch(`${app.base}/api/products/${id}`, { headers: { 'if-none-match': '"1"' } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe('"1"');
    expect(await again.text()).toBe('');
    const changed = await fetch(`${app.base}/api/products/${id}`, { headers: { 'if-none-match': '"0"' } });
    expect(changed.status).toBe(200);
  });

  it('reads Postgres, not the older cached body, for a Consistency-Token past the entry (even before the marker lands)', async () => {
    const id = randomUUID();
    await commitProduct(id, 'Kettle', 1);
    await fetch(`${app.base}/api/products/${id}`, { headers: { 'consistency-token': position.toString() } });
    expect(parseCacheEntry((await redis.get(productCacheKey(id)))!)?.etag).toBe('1');
    const at = await commitProduct(id, 'Kettle, renamed', 2, false);
    const withoutToken = (await (await fetch(`${app.base}/api/products/${id}`)).json()) as { name: string };
    expect(withoutToken.name).toBe('Kettle');
    const withToken = await fetch(`${app.base}/api/products/${id}`, { headers: { 'consistency-token': at.toString() } });
    expect(((await withToken.json()) as { name: string }).name).toBe('Kettle, renamed');
    expect(BigInt(withToken.headers.get('read-model-position')!)).toBeGreaterThanOrEqual(at);
  });

  it('turns a stampede of 500 concurrent misses for one product into one database read', async () => {
    const id = randomUUID();
    const at = await commitProduct(id, 'Hot item', 1);
    await app.positions.of(CATALOG_PROJECTION).waitFor(at, 2_000);
    await redis.del(productCacheKey(id));
    const before = counted.reads.get('catalog_find_product') ?? 0;
    const responses = await Promise.all(Array.from({ length: 500 }, () => fetch(`${app.base}/api/products/${id}`)));
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ name: string }>));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(new Set(bodies.map((b) => b.name))).toEqual(new Set(['Hot item']));
    expect((counted.reads.get('catalog_find_product') ?? 0) - before).toBe(1);
  });

  it('never serves a shopper another shopper\'s cached order: the entry\'s scope is checked on every hit', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const orderId = randomUUID();
    position += 1n;
    const at = position;
    const lines = [{ productId: randomUUID(), sku: 'MUG-1', name: 'Mug', quantity: 1, unitPriceCents: 900, lineTotalCents: 900 }];
    const address = { line1: '1 Road', city: 'Leeds', postalCode: 'LS1', country: 'GB' };
    await database.pool.query(
      `INSERT INTO orders (id, customer_id, status, lines, currency, total_cents, shipping_address, placed_at, version, last_position)
       VALUES ($1, $2, 'placed', $3, 'EUR', 900, $4, now(), 1, $5)`,
      [orderId, alice, JSON.stringify(lines), JSON.stringify(address), at.toString()],
    );
    await database.pool.query(
      `INSERT INTO projection_checkpoints (projection, position) VALUES ('orders', $1) ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position`,
      [at.toString()],
    );
    const as = async (role: 'shopper' | 'admin', customerId?: string): Promise<Response> =>
      fetch(`${app.base}/api/orders/${orderId}`, {
        headers: { authorization: `Bearer ${await TEST_TOKENS.issue(database.pool, { userId: randomUUID(), role, ...(customerId ? { customerId } : {}) })}`, 'consistency-token': at.toString() },
      });

    expect((await as('shopper', alice)).status).toBe(200);
    // The entry is stored after the answer went out: wait until it is there.
    const cached = await retryUntil(
      'order cached',
      async () => {
        const entry = parseCacheEntry((await redis.get(orderCacheKey(orderId))) ?? '');
        if (!entry) throw new Error('not cached yet');
        return entry;
      },
      { timeoutMs: 5_000, intervalMs: 10 },
    );
    expect(cached?.scope).toBe(alice);
    // Served from the cache from here on: Bob's hit answers exactly what a missing order answers.
    const forBob = await as('shopper', bob);
    const missing = await fetch(`${app.base}/api/orders/${randomUUID()}`, {
      headers: { authorization: `Bearer ${await TEST_TOKENS.issue(database.pool, { userId: randomUUID(), role: 'shopper', customerId: bob })}` },
    });
    expect(forBob.status).toBe(404);
    expect(Object.keys((await forBob.json()) as object).sort()).toEqual(Object.keys((await missing.json()) as object).sort());
    expect((await as('shopper')).status).toBe(404);
    const forAdmin = await as('admin');
    expect(forAdmin.status).toBe(200);
    expect(((await forAdmin.json()) as { customerId: string }).customerId).toBe(alice);
  });

  it('serves a catalog page from the cache only while the catalog has not moved past the position it was read at', async () => {
    const search = `needle${Date.now()}`;
    const first = randomUUID();
    let at = await commitProduct(first, `Sharp ${search}`, 1);
    await app.positions.of(CATALOG_PROJECTION).waitFor(at, 2_000);
    const reads = (): number => counted.reads.get('catalog_search') ?? 0;
    const page = async (): Promise<string[]> => {
      const response = await fetch(`${app.base}/api/products?search=${search}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { items: Array<{ id: string }> }).items.map((p) => p.id);
    };
    const before = reads();
    expect(await page()).toEqual([first]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await page()).toEqual([first]);
    expect(reads() - before).toBe(1);
    // A catalog commit (any product) moves the position: the cached page is unreachable, the next read sees the change.
    const second = randomUUID();
    at = await commitProduct(second, `Blunt ${search}`, 1);
    await app.positions.of(CATALOG_PROJECTION).waitFor(at, 2_000);
    expect((await page()).sort()).toEqual([first, second].sort());
    expect(reads() - before).toBe(2);
  });

  it('stays coherent under concurrent updates: stamps never go back, sessions never read older versions, the cache settles on the read model', async () => {
    const id = randomUUID();
    await commitProduct(id, 'v1', 1);
    const UPDATES = 150;
    let writing = true;
    const stampsSeen: bigint[] = [];
    const watcher = (async () => {
      while (writing) {
        const value = await redis.get(productCacheKey(id));
        const stamp = value === null ? undefined : (parseCacheEntry(value)?.position ?? BigInt(value.slice(2)));
        if (stamp !== undefined) stampsSeen.push(stamp);
      }
    })();
    // Each reader is a session: it sends back the position it last read, so it must never see an older version.
    const reader = async (): Promise<number> => {
      let token = 0n;
      let lastVersion = 0;
      let regressions = 0;
      while (writing) {
        const response = await fetch(`${app.base}/api/products/${id}`, { headers: { 'consistency-token': token.toString() } });
        const body = (await response.json()) as { version: number };
        if (body.version < lastVersion) regressions += 1;
        lastVersion = body.version;
        token = BigInt(response.headers.get('read-model-position')!);
      }
      return regressions;
    };
    const readers = Array.from({ length: 16 }, reader);
    for (let version = 2; version <= UPDATES; version++) await commitProduct(id, `v${version}`, version);
    writing = false;
    const regressions = await Promise.all(readers);
    await watcher;

    expect(regressions.reduce((a, b) => a + b, 0)).toBe(0);
    expect(stampsSeen.length).toBeGreaterThan(0);
    expect(stampsSeen.every((stamp, i) => i === 0 || stamp >= stampsSeen[i - 1]!)).toBe(true);
    // Settled: a plain read fills the cache with exactly the read model's row.
    const settled = (await (await fetch(`${app.base}/api/products/${id}`)).json()) as { name: string; version: number };
    expect(settled).toMatchObject({ name: `v${UPDATES}`, version: UPDATES });
    // The entry is stored after the answer went out: wait until it holds the settled row.
    await retryUntil(
      'settled row cached',
      async () => expect(JSON.parse(parseCacheEntry((await redis.get(productCacheKey(id))) ?? '')?.body ?? 'null')).toEqual(settled),
      { timeoutMs: 5_000, intervalMs: 10 },
    );
  }, 60_000);
});

describe('Redis killed mid-traffic (a redis-server of the test\'s own)', () => {
  let database: TestDatabase;
  let app: ReadModelsApp;
  let redisProcess: ChildProcess | undefined;
  let redisPort: number;
  let cacheRedis: Redis;

  const startRedis = async (): Promise<ChildProcess> => {
    const child = spawn(REDIS_SERVER, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: 'ignore',
    });
    await retryUntil(
      `redis-server on port ${redisPort}`,
      async () => {
        const probe = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await probe.connect();
          await probe.ping();
        } finally {
          probe.disconnect();
        }
      },
      { timeoutMs: 10_000 },
    );
    return child;
  };

  beforeAll(async () => {
    database = await startTestDatabase({ poolSize: 20 });
    redisPort = await freePort();
    redisProcess = await startRedis();
    cacheRedis = connectCacheRedis(`redis://127.0.0.1:${redisPort}`, logger);
    app = await serveCachedReads(database, new RedisReadCache(cacheRedis, logger));
  }, 30_000);

  afterAll(async () => {
    await app.stop();
    cacheRedis.disconnect();
    redisProcess?.kill('SIGKILL');
    await database.stop();
  });

  it('answers every read correctly from Postgres while Redis is dead, and uses the cache again once it is back', async () => {
    const ids = Array.from({ length: 20 }, () => randomUUID());
    for (const [i, id] of ids.entries()) {
      await database.pool.query(
        `INSERT INTO catalog_products (id, sku, name, description, price_cents, currency, stock_available, version, created_at, updated_at, last_position)
         VALUES ($1, $2, $3, '', 100, 'EUR', 1, 1, now(), now(), 1)`,
        [id, `K-${i}`, `Product ${i}`],
      );
    }
    let running = true;
    const failures: string[] = [];
    let answered = 0;
    const traffic = Array.from({ length: 8 }, async (_, worker) => {
      for (let n = worker; running; n++) {
        const i = n % ids.length;
        const response = await fetch(`${app.base}/api/products/${ids[i]!}`);
        const body = (await response.json()) as { name?: string };
        if (response.status !== 200 || body.name !== `Product ${i}`) failures.push(`${response.status} ${JSON.stringify(body)}`);
        answered += 1;
      }
    });
    const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    await settle(500);
    const beforeKill = answered;
    redisProcess!.kill('SIGKILL');
    await settle(1_500);
    const whileDead = answered;
    redisProcess = await startRedis();
    await settle(1_500);
    running = false;
    await Promise.all(traffic);

    expect(failures).toEqual([]);
    expect(beforeKill).toBeGreaterThan(0);
    expect(whileDead - beforeKill).toBeGreaterThan(50);
    // Back in use: the reads after the restart filled the new server.
    const probe = new Redis({ port: redisPort, host: '127.0.0.1' });
    try {
      expect(await probe.exists(...ids.map(productCacheKey))).toBeGreaterThan(0);
    } finally {
      probe.disconnect();
    }
  }, 30_000);
});
