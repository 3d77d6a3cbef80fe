import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inTransaction, type ProjectedEvent } from '@shop/kernel';
import { CATALOG_TABLE } from '@shop/read-models';
import { startTestDatabase, type TestDatabase } from '../../testing/infrastructure.js';
import { catalogProjectionInto } from './catalog.projection.js';

/**
 * Product images in the catalog table over real Postgres, along both write paths: one event at a time (`apply`, the
 * live path) and folded in bulk (`applyNewer`, catch-up and rebuild). Both must give the same rows, and a removed
 * image (a null) must land on either path.
 */
describe('catalog projection writing images (real Postgres)', () => {
  let database: TestDatabase;
  const oneByOne = 'catalog_images_one_by_one';
  const folded = 'catalog_images_folded';

  beforeAll(async () => {
    database = await startTestDatabase();
    for (const table of [oneByOne, folded]) await database.pool.query(`CREATE TABLE ${table} (LIKE ${CATALOG_TABLE} INCLUDING ALL)`);
  });

  afterAll(async () => {
    await database?.stop();
  });

  let position = 0n;
  const productEvents = (productId: string, ...events: Array<[string, Record<string, unknown>]>): ProjectedEvent[] =>
    events.map(([type, data], i) => ({
      eventId: randomUUID(),
      streamId: `product-${productId}`,
      streamVersion: BigInt(i + 1),
      globalPosition: ++position,
      type,
      schemaVersion: 1,
      data: { productId, ...data },
      metadata: { correlationId: 'c', causationId: 'c', actor: { userId: 'u', role: 'admin' } },
      recordedAt: new Date(Date.UTC(2026, 10, 24, 10, 0, i)),
    }));
  const created = (imageUrl?: string): [string, Record<string, unknown>] => [
    'ProductCreated',
    { sku: `S-${position}`, name: 'Mug', description: '', priceCents: 100, currency: 'EUR', initialStock: 1, ...(imageUrl ? { imageUrl } : {}) },
  ];

  /** Applies `events` to both tables, one at a time into one and as batches of `batch` into the other; answers both tables' rows. */
  async function project(events: ProjectedEvent[], batch: number): Promise<{ oneByOne: unknown[]; folded: unknown[] }> {
    await inTransaction(database.pool, async (tx) => {
      for (const event of events) await catalogProjectionInto(oneByOne).apply(tx, event);
      for (let i = 0; i < events.length; i += batch) await catalogProjectionInto(folded).applyNewer!(tx, events.slice(i, i + batch));
    });
    const rows = async (table: string) =>
      (await database.pool.query<Record<string, unknown>>(`SELECT id, image_url, name, version, stock_available FROM ${table} ORDER BY id`)).rows;
    return { oneByOne: await rows(oneByOne), folded: await rows(folded) };
  }

  const imageOf = async (table: string, id: string): Promise<string | null | undefined> =>
    (await database.pool.query<{ image_url: string | null }>(`SELECT image_url FROM ${table} WHERE id = $1`, [id])).rows[0]?.image_url;

  it.each([1, 2, 10])('sets, replaces and removes images alike one event at a time and folded in batches of %i', async (batch) => {
    const [withImage, setLater, removed, untouched] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const events = [
      ...productEvents(withImage, created('/first.png'), ['ProductImageChanged', { imageUrl: 'https://cdn.example.com/second.png' }]),
      ...productEvents(setLater, created(), ['ProductRenamed', { name: 'Cup' }], ['ProductImageChanged', { imageUrl: '/cup.png' }]),
      ...productEvents(removed, created('/gone.png'), ['ProductImageChanged', { imageUrl: null }], ['StockReceived', { quantity: 2, reason: 'delivery' }]),
      ...productEvents(untouched, created('/kept.png'), ['ProductRepriced', { priceCents: 90 }]),
    ];
    const tables = await project(events, batch);
    expect(tables.folded).toEqual(tables.oneByOne);
    for (const table of [oneByOne, folded]) {
      expect(await imageOf(table, withImage)).toBe('https://cdn.example.com/second.png');
      expect(await imageOf(table, setLater)).toBe('/cup.png');
      expect(await imageOf(table, removed)).toBeNull();
      expect(await imageOf(table, untouched)).toBe('/kept.png');
    }
  });

  it('removes an image in a later batch than the one that created the row (the UPDATE path of the fold)', async () => {
    const id = randomUUID();
    const [create, remove] = productEvents(id, created('/soon-gone.png'), ['ProductImageChanged', { imageUrl: null }]);
    await project([create!], 1);
    expect(await imageOf(folded, id)).toBe('/soon-gone.png');
    const tables = await project([remove!], 1);
    expect(tables.folded).toEqual(tables.oneByOne);
    expect(await imageOf(folded, id)).toBeNull();
  });
});
