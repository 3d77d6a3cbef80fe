import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type pg from 'pg';
import type { ProductEvent } from '@shop/domain';
import { applySchema, createPool, PostgresEventStore, type RecordedEvent } from '@shop/kernel';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { catalogProjection } from '../projections/catalog/catalog.projection.js';
import { expectEveryScheduleEndsAtCleanPass, newTestRunner } from '../testing/delivery-schedules.js';
import type { ProjectionRunner } from './projection-runner.js';

/**
 * Whatever the bus does — deliver in any order, twice, in odd batches, or not at all — the catalog ends exactly as
 * one clean pass over the store leaves it. fast-check draws the delivery schedules; the store and the read model
 * are real Postgres.
 */
describe('catalog projection under arbitrary delivery schedules (fast-check, real Postgres)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let events: RecordedEvent[];
  let cleanPass: unknown[];

  const readModel = async (): Promise<unknown[]> =>
    (await pool.query<Record<string, unknown>>('SELECT id, sku, name, price_cents, stock_available, status, version FROM catalog_products ORDER BY id')).rows;

  const reset = async (): Promise<void> => {
    await pool.query('TRUNCATE catalog_products');
    await pool.query("UPDATE projection_checkpoints SET position = 0 WHERE projection = 'catalog'");
  };

  const newRunner = (): Promise<ProjectionRunner> => newTestRunner(pool, store, catalogProjection);

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url);
    await applySchema(pool);
    store = new PostgresEventStore(pool);
    const metadata = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };
    const products = [randomUUID(), randomUUID(), randomUUID()];
    const history: Array<[string, ProductEvent]> = [
      ...products.map((productId, i): [string, ProductEvent] => [
        productId,
        { type: 'ProductCreated', data: { productId, sku: `S-${i}`, name: `P${i}`, description: '', priceCents: 100, currency: 'EUR', initialStock: 5 } },
      ]),
      ...Array.from({ length: 27 }, (_, n): [string, ProductEvent] => {
        const productId = products[n % 3]!;
        if (n % 5 === 0) return [productId, { type: 'ProductRepriced', data: { productId, priceCents: 200 + n } }];
        if (n % 4 === 0) return [productId, { type: 'ProductRenamed', data: { productId, name: `Renamed ${n}` } }];
        return [productId, { type: 'StockReceived', data: { productId, quantity: n + 1, reason: 'delivery' } }];
      }),
    ];
    for (const [productId, event] of history) {
      await store.appendToStream(`product-${productId}`, 'any', [{ eventId: randomUUID(), type: event.type, schemaVersion: 1, data: event.data, metadata }]);
    }
    events = await store.readAll(0n, 1_000);

    const clean = await newRunner();
    await clean.catchUpFromStore();
    cleanPass = await readModel();
  }, 60_000);

  afterAll(async () => {
    await pool.end();
    await database.stop();
  });

  it('ends equal to one clean pass for any batches, order, duplicates and losses', async () => {
    await expectEveryScheduleEndsAtCleanPass({ events, cleanPass, reset, newRunner, readModel, maxBatchSize: 12, maxBatches: 8 });
  }, 120_000);
});
