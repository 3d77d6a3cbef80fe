import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { PostgresEventStore } from '@shop/kernel';
import { startTestDatabase, type TestDatabase } from '../testing/test-database.js';
import {
  appendKnownSalesHistory,
  EXPECTED_BY_DAY,
  EXPECTED_BY_PRODUCT,
  EXPECTED_MORNING_BY_DAY,
  MORNING_RANGE,
  MUG,
  WHOLE_RANGE,
} from './known-sales-history.js';
import type { SalesReportSource } from './sales-report.port.js';

export interface SalesReportBackend {
  source: SalesReportSource;
  /** Runs the back-end's projection over the store until it has caught up. */
  project(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One contract for every sales report back-end: the same fixed history, projected by the back-end's own
 * projection, must give the same exact answers (worked out by hand in known-sales-history.ts). The SQL back-end
 * runs it always; the Elasticsearch one wherever ELASTICSEARCH_URL points at a live cluster.
 */
export function describeSalesReportContract(name: string, open: (context: { pool: pg.Pool; store: PostgresEventStore; databaseUrl: string }) => Promise<SalesReportBackend>): void {
  describe(`sales reports from ${name} (contract)`, () => {
    let database: TestDatabase;
    let backend: SalesReportBackend;

    beforeAll(async () => {
      database = await startTestDatabase();
      await appendKnownSalesHistory(database.store);
      backend = await open({ pool: database.pool, store: database.store, databaseUrl: database.url });
      await backend.project();
    }, 60_000);

    afterAll(async () => {
      await backend?.close();
      await database.stop();
    });

    it('answers sales by UTC day and currency, net of refunds, ascending day then currency', async () => {
      expect(await backend.source.salesByDay(WHOLE_RANGE)).toEqual(EXPECTED_BY_DAY);
    });

    it('answers sales by product and currency, descending revenue, named as last sold', async () => {
      expect(await backend.source.salesByProduct(WHOLE_RANGE)).toEqual(EXPECTED_BY_PRODUCT);
    });

    it('includes `from` and excludes `to` to the millisecond', async () => {
      expect(await backend.source.salesByDay(MORNING_RANGE)).toEqual(EXPECTED_MORNING_BY_DAY);
      const lastMillisecond = { from: new Date('2026-11-23T23:59:59.999Z'), to: new Date('2026-11-24T00:00:00.000Z') };
      expect(await backend.source.salesByDay(lastMillisecond)).toEqual([{ day: '2026-11-23', currency: 'EUR', orders: 1, units: 3, revenueCents: 3048 }]);
    });

    it('counts a refund in a range that does not hold its payment', async () => {
      const refundOfF = { from: new Date('2026-11-24T08:00:00.000Z'), to: new Date('2026-11-24T10:00:00.000Z') };
      expect(await backend.source.salesByProduct(refundOfF)).toEqual([
        { productId: MUG, sku: 'MUG-1', name: 'Blue mug', currency: 'EUR', orders: -1, units: -1, revenueCents: -1299 },
      ]);
    });

    it('answers no rows for a range without sales', async () => {
      const quiet = { from: new Date('2027-01-01T00:00:00.000Z'), to: new Date('2027-02-01T00:00:00.000Z') };
      expect(await backend.source.salesByDay(quiet)).toEqual([]);
      expect(await backend.source.salesByProduct(quiet)).toEqual([]);
    });

    it('answers the same again after the projection replays the whole history (idempotent)', async () => {
      await database.pool.query('UPDATE projection_checkpoints SET position = 0 WHERE projection = $1', [backend.source.projection]);
      await backend.project();
      expect(await backend.source.salesByDay(WHOLE_RANGE)).toEqual(EXPECTED_BY_DAY);
      expect(await backend.source.salesByProduct(WHOLE_RANGE)).toEqual(EXPECTED_BY_PRODUCT);
    });
  });
}
