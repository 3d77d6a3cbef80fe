import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { PostgresEventStore } from '@shop/kernel';
import { ProductWriter } from '../testing/fault-harness.js';
import { PROJECTIONS } from '../projections/index.js';
import { startTestDatabase, type TestDatabase } from '../testing/infrastructure.js';
import { loadedTestRunner } from '../testing/runner.js';
import { rebuildProjection } from './rebuild.js';

describe('rebuilding the catalog into a shadow table and swapping it in (real Postgres)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const catalog = PROJECTIONS.catalog!;
  const lines: string[] = [];

  const rows = async (): Promise<unknown[]> =>
    (await pool.query<Record<string, unknown>>('SELECT * FROM catalog_products ORDER BY id')).rows;
  const indexes = async (): Promise<string[]> =>
    (await pool.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'catalog_products' ORDER BY indexname")).rows.map((r) => r.indexname);

  beforeAll(async () => {
    database = await startTestDatabase();
    ({ pool, store } = database);
    const writer = new ProductWriter(store);
    const ids = await writer.createProducts(20);
    for (let n = 0; n < 300; n++) await writer.append(...writer.workloadEvent(ids, n));
    // Every other kind of catalog change, so the bulk rebuild path is compared on all of them.
    const [a, b, c] = [ids[0]!, ids[1]!, ids[2]!];
    const orderId = '9d3c1f2e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';
    await writer.append(a, { type: 'ProductRenamed', data: { productId: a, name: 'Renamed A' } });
    await writer.append(a, { type: 'ProductRedescribed', data: { productId: a, description: 'Now with a description' } });
    await writer.append(b, { type: 'StockReserved', data: { productId: b, orderId, quantity: 2 } });
    await writer.append(b, { type: 'ReservationFulfilled', data: { productId: b, orderId, quantity: 2 } });
    await writer.append(c, { type: 'StockReserved', data: { productId: c, orderId, quantity: 1 } });
    await writer.append(c, { type: 'StockReleased', data: { productId: c, orderId, quantity: 1 } });
    await writer.append(c, { type: 'StockAdjusted', data: { productId: c, delta: -1, reason: 'breakage' } });
    await writer.append(c, { type: 'ProductDiscontinued', data: { productId: c } });
    const live = await loadedTestRunner(pool, store, catalog.projection);
    await live.catchUpFromStore();
  }, 60_000);

  afterAll(() => database.stop());

  it('finds the live table identical when it is, swaps, and keeps the table and index names', async () => {
    const before = await rows();
    const indexNames = await indexes();
    const result = await rebuildProjection(pool, store, catalog, (line) => lines.push(line));
    expect(result).toMatchObject({ identical: true, events: 328, position: 328n });
    expect(await rows()).toEqual(before);
    expect(await indexes()).toEqual(indexNames);
    expect(lines.at(-1)).toContain('identical to the live ones');
  });

  it('replaces a live table a faulty projection corrupted, and says it differed', async () => {
    const truth = await rows();
    await pool.query("UPDATE catalog_products SET stock_available = stock_available + 1000 WHERE sku LIKE 'K-1-%'");
    const result = await rebuildProjection(pool, store, catalog, () => undefined);
    expect(result.identical).toBe(false);
    expect(await rows()).toEqual(truth);
    const again = await rebuildProjection(pool, store, catalog, () => undefined);
    expect(again.identical).toBe(true);
  });
});
