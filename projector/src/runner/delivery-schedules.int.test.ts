import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import { Registry } from 'prom-client';
import type { ProductEvent } from '@shop/domain';
import { applySchema, createPool, PostgresEventStore, type RecordedEvent } from '@shop/kernel';
import { createLogger } from '@shop/service-kit';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { createProjectorMetrics } from '../metrics.js';
import { catalogProjection } from '../projections/catalog/catalog.projection.js';
import { ProjectionRunner } from './projection-runner.js';

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

  const newRunner = async (): Promise<ProjectionRunner> => {
    const runner = new ProjectionRunner({
      pool,
      store,
      projection: catalogProjection,
      invalidate: async () => undefined,
      metrics: createProjectorMetrics(new Registry(), async () => ({})),
      logger: createLogger('test', 'silent'),
    });
    await runner.loadCheckpoint();
    return runner;
  };

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
    const schedule = fc.array(fc.array(fc.nat({ max: 29 }), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(schedule, async (batches) => {
        await reset();
        const runner = await newRunner();
        for (const batch of batches) await runner.applyEvents(batch.map((i) => events[i]!), 'bus');
        // The runner's idle round: whatever the bus never delivered comes from the store.
        await runner.catchUpFromStore();
        expect(await readModel()).toEqual(cleanPass);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
