import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import { applySchema, createPool, PostgresEventStore, type RecordedEvent } from '@shop/kernel';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { applyCheckpointedBatch } from '../../runner/checkpointed-batch.js';
import { expectEveryScheduleEndsAtCleanPass, newTestRunner } from '../../testing/delivery-schedules.js';
import type { ProjectionRunner } from '../../runner/projection-runner.js';
import { driveOrderLifecycles } from './order-lifecycle.workload.js';
import { ordersProjection } from './orders.projection.js';

/**
 * Whatever the bus does — deliver in any order, twice, in odd batches, or not at all — the orders read model ends
 * exactly as one clean pass over the store leaves it. The history is a set of order lifecycles (place, pay, ship,
 * cancel, refund) with erasures of customers among them; fast-check draws the delivery schedules; the store and
 * the read model are real Postgres.
 */
describe('orders projection under arbitrary delivery schedules (fast-check, real Postgres)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let events: RecordedEvent[];
  let cleanPass: unknown[];

  const readModel = async (): Promise<unknown[]> => [
    (await pool.query<Record<string, unknown>>('SELECT * FROM orders ORDER BY id')).rows,
    (await pool.query<Record<string, unknown>>('SELECT * FROM orders_forgotten_customers ORDER BY customer_id')).rows,
  ];

  const reset = async (): Promise<void> => {
    await pool.query('TRUNCATE orders, orders_forgotten_customers');
    await pool.query("UPDATE projection_checkpoints SET position = 0 WHERE projection = 'orders'");
  };

  const newRunner = (): Promise<ProjectionRunner> => newTestRunner(pool, store, ordersProjection);

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url);
    await applySchema(pool);
    store = new PostgresEventStore(pool);
    // Few customers, so erasures meet orders placed before and after them within one small history.
    await driveOrderLifecycles(store, { orders: 14, customers: 3, products: 3, seed: 35 });
    events = await store.readAll(0n, 10_000);

    const clean = await newRunner();
    await clean.catchUpFromStore();
    cleanPass = await readModel();
  }, 60_000);

  afterAll(async () => {
    await pool.end();
    await database.stop();
  });

  it('draws its schedules from a history with every lifecycle step and an erasure between orders of its customer', () => {
    expect([...new Set(events.map((e) => e.type))]).toEqual(
      expect.arrayContaining(['OrderPlaced', 'OrderPaid', 'OrderShipped', 'OrderCancelled', 'OrderRefunded', 'CustomerForgotten']),
    );
    const erasure = events.find((e) => e.type === 'CustomerForgotten')!;
    const forgotten = (erasure.data as { customerId: string }).customerId;
    const placed = events.filter((e) => e.type === 'OrderPlaced' && (e.data as { customerId: string }).customerId === forgotten);
    expect(placed.some((e) => e.globalPosition < erasure.globalPosition)).toBe(true);
    expect(placed.some((e) => e.globalPosition > erasure.globalPosition)).toBe(true);
  });

  it('ends equal to one clean pass for any batches, order, duplicates and losses', async () => {
    await expectEveryScheduleEndsAtCleanPass({ events, cleanPass, reset, newRunner, readModel, maxBatchSize: 25, maxBatches: 10 });
  }, 180_000);

  it('ends equal to one clean pass when contiguous batches go straight through applyCheckpointedBatch, in any cut, with redeliveries', async () => {
    const cuts = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(cuts, fc.nat({ max: 20 }), async (sizes, back) => {
        await reset();
        let from = 0;
        for (const size of sizes) {
          if (from >= events.length) break;
          // Each batch starts up to `back` events before the checkpoint: those are redeliveries and must be ignored.
          const start = Math.max(0, from - back);
          await applyCheckpointedBatch({ pool, projection: ordersProjection, events: events.slice(start, from + size) });
          from = Math.min(events.length, from + size);
        }
        if (from < events.length) await applyCheckpointedBatch({ pool, projection: ordersProjection, events: events.slice(from) });
        expect(await readModel()).toEqual(cleanPass);
      }),
      { numRuns: 30 },
    );
  }, 180_000);
});
