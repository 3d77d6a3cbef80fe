import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { CATALOG_PROJECTION, parseCacheEntry, productCacheKey } from '@shop/read-models';
import { createLogger } from '@shop/service-kit';
import { openApiSchemaProblems, startTestRedis, type TestRedis } from '@shop/testing';
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

  describe('images and sort orders', () => {
    type Listed = { id: string; name: string; priceCents: number; imageUrl: string | null };
    type Page = { items: Listed[]; nextCursor: string | null };
    const insert = async (fields: { name: string; priceCents: number; description?: string; imageUrl?: string }): Promise<string> => {
      const id = randomUUID();
      await database.pool.query(
        `INSERT INTO catalog_products (id, sku, name, description, price_cents, currency, stock_available, version, created_at, updated_at, last_position, image_url)
         VALUES ($1, $2, $3, $4, $5, 'EUR', 1, 1, now(), now(), 1, $6)`,
        [id, `S-${id.slice(0, 8)}`, fields.name, fields.description ?? '', fields.priceCents, fields.imageUrl ?? null],
      );
      return id;
    };
    /** Postgres orders uuids by their bytes: the order of their lower-case text. */
    const byId = (a: Listed, b: Listed): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    /** Every page of a listing, following nextCursor to the end. */
    const everyPage = async (query: string): Promise<Listed[]> => {
      const seen: Listed[] = [];
      let cursor: string | null = null;
      do {
        const response: Response = await fetch(`${app.base}/api/products?${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        const page = (await response.json()) as Page;
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };

    it('answers imageUrl on every product: the address, or null when it has none', async () => {
      const withImage = await insert({ name: 'Pictured jug', priceCents: 500, imageUrl: 'https://cdn.example.com/jug.png' });
      const without = await insert({ name: 'Plain jug', priceCents: 500 });
      const pictured: unknown = await (await fetch(`${app.base}/api/products/${withImage}`)).json();
      const plain: unknown = await (await fetch(`${app.base}/api/products/${without}`)).json();
      expect(pictured).toMatchObject({ imageUrl: 'https://cdn.example.com/jug.png' });
      expect(plain).toMatchObject({ imageUrl: null });
      for (const body of [pictured, plain]) expect(openApiSchemaProblems('Product', body)).toEqual([]);
      expect(openApiSchemaProblems('ProductPage', await (await fetch(`${app.base}/api/products?search=jug`)).json())).toEqual([]);
      const listed = await everyPage('search=jug&limit=100');
      expect(Object.fromEntries(listed.map((p) => [p.id, p.imageUrl]))).toEqual({ [withImage]: 'https://cdn.example.com/jug.png', [without]: null });
    });

    it.each([
      ['price_asc', (a: Listed, b: Listed) => a.priceCents - b.priceCents || byId(a, b)],
      ['price_desc', (a: Listed, b: Listed) => b.priceCents - a.priceCents || byId(b, a)],
    ])('pages the whole catalog by %s, ties by id, each product once', async (sort, order) => {
      for (const priceCents of [300, 100, 200, 100, 300]) await insert({ name: `Priced ${priceCents}`, priceCents });
      const seen = await everyPage(`sort=${sort}&limit=2`);
      const all = (await database.pool.query<{ id: string }>('SELECT id FROM catalog_products')).rows.map((row) => row.id);
      expect(seen.map((p) => p.id).sort()).toEqual(all.sort());
      expect(seen).toEqual([...seen].sort(order));
    });

    it('orders the matches of a search by price when asked to, and by relevance otherwise', async () => {
      const cheap = await insert({ name: 'Samovar', priceCents: 900, description: 'Steel' });
      const dear = await insert({ name: 'Copper tray', priceCents: 5_000, description: 'Goes with a samovar' });
      expect((await everyPage('search=samovar&sort=price_desc&limit=1')).map((p) => p.id)).toEqual([dear, cheap]);
      expect((await everyPage('search=samovar&sort=price_asc&limit=1')).map((p) => p.id)).toEqual([cheap, dear]);
      expect((await everyPage('search=samovar&limit=1')).map((p) => p.id)).toEqual([cheap, dear]);
    });

    it('refuses a cursor made by another sort with 400 invalid_cursor', async () => {
      for (let i = 0; i < 3; i++) await insert({ name: `Bowl ${i}`, priceCents: 100 * i, description: 'Clay' });
      const cursorOf = async (query: string): Promise<string> => ((await (await fetch(`${app.base}/api/products?${query}`)).json()) as Page).nextCursor!;
      const byPrice = await cursorOf('sort=price_asc&limit=1');
      const byName = await cursorOf('limit=1');
      for (const path of [`sort=price_desc&cursor=${byPrice}`, `cursor=${byPrice}`, `sort=price_asc&cursor=${byName}`, `search=bowl&cursor=${byName}`]) {
        const response = await fetch(`${app.base}/api/products?${path}`);
        expect({ path, status: response.status, code: ((await response.json()) as { code: string }).code }).toEqual({ path, status: 400, code: 'invalid_cursor' });
      }
      expect((await fetch(`${app.base}/api/products?sort=price_asc&cursor=${byPrice}`)).status).toBe(200);
      const forged = (cursor: unknown): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');
      for (const cursor of [{ sort: 'price_asc', priceCents: 1e300, id: randomUUID() }, { sort: 'relevance', rank: 1e300, id: randomUUID() }]) {
        const response = await fetch(`${app.base}/api/products?${cursor.sort === 'relevance' ? 'search=bowl&' : ''}sort=${cursor.sort}&cursor=${forged(cursor)}`);
        expect({ cursor, status: response.status }).toEqual({ cursor, status: 400 });
      }
    });

    it.each([
      ['sort=relevance', 'relevance without a search'],
      ['sort=cheapest', 'an unknown sort'],
      ['sort=', 'an empty sort'],
    ])('answers %s (%s) with 400 validation_failed naming sort', async (query) => {
      const response = await fetch(`${app.base}/api/products?${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'sort' }] });
    });
  });
});
