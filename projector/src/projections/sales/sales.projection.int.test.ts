import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import { evolveOrder, initialOrderState, ORDER_STREAM_PREFIX, OrderEvent, type OrderState } from '@shop/domain';
import { inTransaction, type PostgresEventStore, type ProjectedEvent } from '@shop/kernel';
import { rebuildProjection } from '../../runner/rebuild.js';
import { deliveryScheduleSuite, expectEveryScheduleEndsAtCleanPass } from '../../testing/delivery-schedules.js';
import { rowsOf, startTestDatabase, type TestDatabase } from '../../testing/infrastructure.js';
import { loadedTestRunner } from '../../testing/runner.js';
import { PROJECTIONS } from '../index.js';
import { OrderHistoryWriter } from '../../testing/order-history.js';
import { salesProjection } from './sales.projection.js';

/** Both tables of the read model, every row, in primary-key order. */
const SALES_READ_MODEL = ['SELECT * FROM sales_orders ORDER BY order_id', 'SELECT * FROM sales_facts ORDER BY event_id, line_no'];

type Totals = Record<string, { orders: number; units: number; revenueCents: number }>;

/**
 * The oracle: folds the store's order events with the domain's own `evolveOrder` (none of the projection's code)
 * and adds each payment's lines, minus each refund's, per UTC day and currency and per product and currency.
 */
function oracle(events: readonly ProjectedEvent[], range?: { from: Date; to: Date }): { byDay: Totals; byProduct: Totals } {
  const orders = new Map<string, OrderState>();
  const byDay: Totals = {};
  const byProduct: Totals = {};
  const add = (totals: Totals, key: string, orders: number, units: number, revenueCents: number): void => {
    const row = (totals[key] ??= { orders: 0, units: 0, revenueCents: 0 });
    row.orders += orders;
    row.units += units;
    row.revenueCents += revenueCents;
  };
  for (const event of events) {
    if (!event.streamId.startsWith(ORDER_STREAM_PREFIX)) continue;
    const parsed = OrderEvent.parse({ type: event.type, data: event.data });
    const before = orders.get(parsed.data.orderId) ?? initialOrderState;
    orders.set(parsed.data.orderId, evolveOrder(before, parsed));
    if (parsed.type !== 'OrderPaid' && parsed.type !== 'OrderRefunded') continue;
    if (before.status === 'absent') throw new Error('the history pays an order it never placed');
    const at = new Date(parsed.type === 'OrderPaid' ? parsed.data.paidAt : parsed.data.refundedAt);
    if (range && (at < range.from || at >= range.to)) continue;
    const sign = parsed.type === 'OrderPaid' ? 1 : -1;
    const day = at.toISOString().slice(0, 10);
    add(byDay, `${day} ${before.currency}`, sign, 0, 0);
    for (const line of before.lines) {
      add(byDay, `${day} ${before.currency}`, 0, sign * line.quantity, sign * line.lineTotalCents);
      add(byProduct, `${line.productId} ${before.currency}`, sign, sign * line.quantity, sign * line.lineTotalCents);
    }
  }
  return { byDay, byProduct };
}

describe('sales projection (real Postgres, an order history through the real lifecycle)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let events: ProjectedEvent[];

  /** The read model's totals, aggregated by SQL over the facts in [from, to). */
  async function readModel(range: { from: Date; to: Date }): Promise<{ byDay: Totals; byProduct: Totals }> {
    const day = await pool.query<{ key: string; orders: string; units: string; revenue: string }>(
      `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' || currency AS key, sum(order_delta) AS orders, sum(units) AS units,
              sum(revenue_cents) AS revenue
         FROM sales_facts WHERE at >= $1 AND at < $2 GROUP BY 1`,
      [range.from, range.to],
    );
    const product = await pool.query<{ key: string; orders: string; units: string; revenue: string }>(
      `SELECT product_id || ' ' || currency AS key, sum(sign) AS orders, sum(units) AS units, sum(revenue_cents) AS revenue
         FROM sales_facts WHERE at >= $1 AND at < $2 GROUP BY 1`,
      [range.from, range.to],
    );
    const totals = (rows: Array<{ key: string; orders: string; units: string; revenue: string }>): Totals =>
      Object.fromEntries(rows.map((r) => [r.key, { orders: Number(r.orders), units: Number(r.units), revenueCents: Number(r.revenue) }]));
    return { byDay: totals(day.rows), byProduct: totals(product.rows) };
  }

  const everything = { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z') };
  const allRows = (): Promise<unknown[]> => rowsOf(pool, SALES_READ_MODEL);

  beforeAll(async () => {
    database = await startTestDatabase();
    ({ pool, store } = database);
    const history = new OrderHistoryWriter(store, 20261124);
    const products = await history.createProducts(['EUR', 'EUR', 'EUR', 'EUR', 'USD', 'USD', 'GBP', 'JPY']);
    await history.writeOrders(products, 300);
    events = [];
    for (let after = 0n; ; ) {
      const batch = await store.readAll(after, 1_000);
      if (batch.length === 0) break;
      events.push(...batch);
      after = batch.at(-1)!.globalPosition;
    }
    const runner = await loadedTestRunner(pool, store, salesProjection);
    await runner.catchUpFromStore();
  }, 120_000);

  afterAll(() => database.stop());

  it('equals an oracle folded independently from the store, by day and by product, net of refunds', async () => {
    const expected = oracle(events);
    // The history does refund, and some days do end up negative: the comparison covers both.
    expect(Object.values(expected.byDay).some((row) => row.revenueCents < 0)).toBe(true);
    expect(new Set(Object.keys(expected.byDay).map((key) => key.split(' ')[1]))).toEqual(new Set(['EUR', 'USD', 'GBP', 'JPY']));
    expect(await readModel(everything)).toEqual(expected);
  });

  it('answers any [from, to) range exactly, also ranges that start or end at UTC midnight or inside a day', async () => {
    const start = new Date('2026-11-01T00:00:00.000Z').getTime();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 25 * 24 * 60 }), fc.integer({ min: 1, max: 10 * 24 * 60 }), fc.boolean(), async (fromMinute, minutes, atMidnight) => {
        const from = atMidnight ? Math.floor(fromMinute / 1440) * 1440 : fromMinute;
        const range = { from: new Date(start + from * 60_000), to: new Date(start + (from + minutes) * 60_000) };
        expect(await readModel(range)).toEqual(oracle(events, range));
      }),
      { numRuns: 40 },
    );
  });

  it('changes nothing when old events are applied again (facts keyed by event and line)', async () => {
    const before = await allRows();
    await inTransaction(pool, async (tx) => {
      for (const event of events.slice(0, 400)) await salesProjection.apply(tx, event);
      await salesProjection.applyNewer!(tx, events.slice(200));
    });
    expect(await allRows()).toEqual(before);
  });

  it('rebuilds both tables into shadows with a digest identical to the live ones, and replaces a corrupted live table', async () => {
    const sales = PROJECTIONS.sales!;
    const before = await allRows();
    const rebuilt = await rebuildProjection(pool, store, sales, () => undefined);
    expect(rebuilt).toMatchObject({ identical: true, events: events.length, position: events.at(-1)!.globalPosition });
    expect(rebuilt.liveDigest).toMatch(/^sales_orders:[0-9a-f]{32} sales_facts:[0-9a-f]{32}$/);
    expect(await allRows()).toEqual(before);
    const indexes = (await pool.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'sales_%' ORDER BY 1")).rows.map((r) => r.indexname);
    expect(indexes).toEqual(['sales_facts_at', 'sales_facts_pkey', 'sales_orders_pkey']);

    await pool.query("UPDATE sales_facts SET revenue_cents = revenue_cents + 1 WHERE line_no = 0 AND kind = 'refund'");
    const repaired = await rebuildProjection(pool, store, sales, () => undefined);
    expect(repaired.identical).toBe(false);
    expect(await allRows()).toEqual(before);
  });
});

describe('sales projection under arbitrary delivery schedules (fast-check, real Postgres)', () => {
  const schedules = deliveryScheduleSuite({
    projection: salesProjection,
    tables: ['sales_orders', 'sales_facts'],
    readModel: SALES_READ_MODEL,
    writeHistory: async (store) => {
      const history = new OrderHistoryWriter(store, 7);
      await history.writeOrders(await history.createProducts(['EUR', 'EUR', 'USD']), 16);
    },
  });

  it('ends equal to one clean pass for any batches, order, duplicates and losses', async () => {
    await expectEveryScheduleEndsAtCleanPass(schedules, { maxBatchSize: 20, maxBatches: 8 });
  }, 120_000);
});
