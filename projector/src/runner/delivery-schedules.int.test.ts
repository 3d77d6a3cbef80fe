import { randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import type { ProductEvent } from '@shop/domain';
import type { PostgresEventStore } from '@shop/kernel';
import { catalogProjection } from '../projections/catalog/catalog.projection.js';
import { deliveryScheduleSuite, expectEveryScheduleEndsAtCleanPass } from '../testing/delivery-schedules.js';

/** Three products, each created, then repriced, renamed and restocked in turn. */
async function writeCatalogHistory(store: PostgresEventStore): Promise<void> {
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
}

/**
 * Whatever the bus does — deliver in any order, twice, in odd batches, or not at all — the catalog ends exactly as
 * one clean pass over the store leaves it. fast-check draws the delivery schedules; the store and the read model
 * are real Postgres.
 */
describe('catalog projection under arbitrary delivery schedules (fast-check, real Postgres)', () => {
  const schedules = deliveryScheduleSuite({
    projection: catalogProjection,
    tables: ['catalog_products'],
    readModel: ['SELECT id, sku, name, price_cents, stock_available, status, version FROM catalog_products ORDER BY id'],
    writeHistory: writeCatalogHistory,
  });

  it('ends equal to one clean pass for any batches, order, duplicates and losses', async () => {
    await expectEveryScheduleEndsAtCleanPass(schedules, { maxBatchSize: 12, maxBatches: 8 });
  }, 120_000);
});
