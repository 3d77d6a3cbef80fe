import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { CATALOG_PROJECTION, parseCacheEntry, productCacheKey } from '@shop/read-models';
import { createLogger } from '@shop/service-kit';
import { startTestRedis, type TestRedis } from '@shop/testing';
import { RedisReadCache } from '../cache/read-cache.js';
import { commitAsProjector } from '../testing/projector-commit.js';
import { serveReadModels, type ReadModelsApp } from '../testing/query-test-app.js';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';

const logger = createLogger('test', 'silent');

describe('product reads (real Postgres and Redis, over HTTP)', () => {
  let database: TestDatabase;
  let cache: TestRedis;
  let redis: Redis;
  let app: ReadModelsApp;

  /** What the projector does at commit: read model row + checkpoint + NOTIFY, in one transaction. */
  async function projectProduct(name: string, position: bigint): Promise<string> {
    const id = randomUUID();
    await commitAsProjector(database.pool, CATALOG_PROJECTION, position, async (client) => {
      await client.query(
        `INSERT INTO catalog_products (id, sku, name, description, price_cents, currency, stock_available, version, created_at, updated_at, last_position)
         VALUES ($1, $2, $3, '', 250, 'EUR', 7, 1, now(), now(), $4)`,
        [id, `SKU-${id.slice(0, 8)}`, name, position.toString()],
      );
    });
    return id;
  }

  beforeAll(async () => {
    [database, cache] = await Promise.all([startTestDatabase(), startTestRedis()]);
    redis = new Redis(cache.url);
    app = await serveReadModels(database, { cache: new RedisReadCache(redis, logger) });
  });

  afterAll(async () => {
    await app.stop();
    redis.disconnect();
    await Promise.all([database.stop(), cache.stop()]);
  });

  it('answers a product from Postgres, then from the Redis cache, with the read-model position', async () => {
    const id = await projectProduct('Cached mug', 10n);
    await app.positions.of(CATALOG_PROJECTION).waitFor(10n, 2_000);
    const first = await fetch(`${app.base}/api/products/${id}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('read-model-position')).toBe('10');
    const body = await first.json();
    expect(body).toMatchObject({ id, name: 'Cached mug', priceCents: 250, currency: 'EUR', stockAvailable: 7, version: 1 });
    expect(JSON.parse(parseCacheEntry((await redis.get(productCacheKey(id)))!)!.body)).toEqual(body);
    // Served from the cache now: a row change that the projector has not announced is not visible yet.
    await database.pool.query("UPDATE catalog_products SET name = 'changed behind the cache' WHERE id = $1", [id]);
    expect(await (await fetch(`${app.base}/api/products/${id}`)).json()).toEqual(body);
  });

  it('waits for a Consistency-Token ahead of the read model and answers once the projection reaches it', async () => {
    const pending = fetch(`${app.base}/api/products?limit=100`, { headers: { 'consistency-token': '20' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const id = await projectProduct('Fresh kettle', 20n);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get('read-model-position')).toBe('20');
    const { items } = (await response.json()) as { items: Array<{ id: string }> };
    expect(items.map((p) => p.id)).toContain(id);
  });

  it('answers 503 not_caught_up with Retry-After when the read model does not reach the token in time', async () => {
    const response = await fetch(`${app.base}/api/products`, { headers: { 'consistency-token': '999999' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ code: 'not_caught_up' });
  });

  it('pages the catalog with a keyset cursor', async () => {
    for (const name of ['Page A', 'Page B', 'Page C']) await projectProduct(name, 21n);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const page = (await (await fetch(`${app.base}/api/products?${query}`)).json()) as { items: Array<{ name: string }>; nextCursor: string | null };
      seen.push(...page.items.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['Page A', 'Page B', 'Page C']));
  });

  it.each([
    ['/api/products/not-a-uuid', 400, 'validation_failed'],
    ['/api/products?limit=0', 400, 'validation_failed'],
    ['/api/products?limit=1000', 400, 'validation_failed'],
    ['/api/products?unknown=1', 400, 'validation_failed'],
    ['/api/products?cursor=garbage', 400, 'invalid_cursor'],
    [`/api/products/${randomUUID()}`, 404, 'product_not_found'],
  ])('answers GET %s with %i %s', async (path, status, code) => {
    const response = await fetch(`${app.base}${path}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ code });
  });

  it('waits no longer than a Consistency-Max-Wait the caller asks for, and refuses a malformed one', async () => {
    const started = Date.now();
    const response = await fetch(`${app.base}/api/products`, { headers: { 'consistency-token': '999999', 'consistency-max-wait': '50' } });
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(400);
    const malformed = await fetch(`${app.base}/api/products`, { headers: { 'consistency-token': '1', 'consistency-max-wait': 'soon' } });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'invalid_consistency_max_wait' });
  });

  it('rejects a malformed Consistency-Token', async () => {
    const response = await fetch(`${app.base}/api/products`, { headers: { 'consistency-token': 'soon' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid_consistency_token' });
  });

  describe('full-text search', () => {
    const insert = async (name: string, description: string): Promise<string> => {
      const id = randomUUID();
      await database.pool.query(
        `INSERT INTO catalog_products (id, sku, name, description, price_cents, currency, stock_available, version, created_at, updated_at, last_position)
         VALUES ($1, $2, $3, $4, 100, 'EUR', 1, 1, now(), now(), 1)`,
        [id, `S-${id.slice(0, 8)}`, name, description],
      );
      return id;
    };
    type Page = { items: Array<{ id: string; name: string }>; nextCursor: string | null };
    const search = async (query: string): Promise<Page> => (await (await fetch(`${app.base}/api/products?${query}`)).json()) as Page;

    it('ranks a match in the name above a match only in the description, and stems words', async () => {
      const inDescription = await insert('Saucer', 'Goes with every teacup');
      const inName = await insert('Teacup', 'Porcelain');
      await insert('Spoon', 'Silver');
      const page = await search('search=teacups');
      expect(page.items.map((p) => p.id)).toEqual([inName, inDescription]);
    });

    it('pages search results by rank with a cursor, without repeats or gaps', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 7; i++) ids.add(await insert(`Lamp ${i}`, i % 2 ? 'A lamp for the desk' : 'Bright'));
      const seen: string[] = [];
      let page = await search('search=lamp&limit=3');
      seen.push(...page.items.map((p) => p.id));
      while (page.nextCursor) {
        page = await search(`search=lamp&limit=3&cursor=${page.nextCursor}`);
        seen.push(...page.items.map((p) => p.id));
      }
      expect(seen).toHaveLength(7);
      expect(new Set(seen)).toEqual(ids);
    });

    it('refuses a browsing cursor for a search (and the other way round)', async () => {
      for (let i = 0; i < 3; i++) await insert(`Vase ${i}`, 'Glass');
      const browsing = await search('limit=1');
      const searching = await search('search=vase&limit=1');
      expect((await fetch(`${app.base}/api/products?search=vase&cursor=${browsing.nextCursor!}`)).status).toBe(400);
      expect((await fetch(`${app.base}/api/products?cursor=${searching.nextCursor!}`)).status).toBe(400);
    });
  });
});
