import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { applyCheckpointedBatch } from '../../runner/checkpointed-batch.js';
import { deliveryScheduleSuite, expectEveryScheduleEndsAtCleanPass } from '../../testing/delivery-schedules.js';
import { driveOrderLifecycles } from '../../testing/order-lifecycle.workload.js';
import { ordersProjection } from './orders.projection.js';

/**
 * Whatever the bus does — deliver in any order, twice, in odd batches, or not at all — the orders read model ends
 * exactly as one clean pass over the store leaves it. The history is a set of order lifecycles (place, pay, ship,
 * cancel, refund) with erasures of customers among them; fast-check draws the delivery schedules; the store and
 * the read model are real Postgres.
 */
describe('orders projection under arbitrary delivery schedules (fast-check, real Postgres)', () => {
  const schedules = deliveryScheduleSuite({
    projection: ordersProjection,
    tables: ['orders', 'orders_forgotten_customers'],
    readModel: ['SELECT * FROM orders ORDER BY id', 'SELECT * FROM orders_forgotten_customers ORDER BY customer_id'],
    // Few customers, so erasures meet orders placed before and after them within one small history.
    writeHistory: (store) => driveOrderLifecycles(store, { orders: 14, customers: 3, products: 3, seed: 35 }),
  });

  it('draws its schedules from a history with every lifecycle step and an erasure between orders of its customer', () => {
    const { events } = schedules;
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
    await expectEveryScheduleEndsAtCleanPass(schedules, { maxBatchSize: 25, maxBatches: 10 });
  }, 180_000);

  it('ends equal to one clean pass when contiguous batches go straight through applyCheckpointedBatch, in any cut, with redeliveries', async () => {
    const cuts = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(cuts, fc.nat({ max: 20 }), async (sizes, back) => {
        const { pool, events } = schedules;
        await schedules.reset();
        let from = 0;
        for (const size of sizes) {
          if (from >= events.length) break;
          // Each batch starts up to `back` events before the checkpoint: those are redeliveries and must be ignored.
          const start = Math.max(0, from - back);
          await applyCheckpointedBatch({ pool, projection: ordersProjection, events: events.slice(start, from + size) });
          from = Math.min(events.length, from + size);
        }
        if (from < events.length) await applyCheckpointedBatch({ pool, projection: ordersProjection, events: events.slice(from) });
        expect(await schedules.readModel()).toEqual(schedules.cleanPass);
      }),
      { numRuns: 30 },
    );
  }, 180_000);
});
