import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@shop/kernel';
import { catalogChangeFor } from './catalog.projection.js';

const productId = '0d7c2f8e-1f6b-4b8e-9a52-55d8f7c2b111';
const recorded = (overrides: Partial<RecordedEvent>): RecordedEvent => ({
  eventId: 'a9f0f1a8-2b0c-4f5e-8e7e-3c1d2b4a5f60',
  streamId: `product-${productId}`,
  streamVersion: 1n,
  globalPosition: 7n,
  type: 'ProductCreated',
  schemaVersion: 1,
  data: { productId, sku: 'MUG-1', name: 'Mug', description: 'Blue', priceCents: 1299, currency: 'EUR', initialStock: 4 },
  metadata: { correlationId: 'c', causationId: 'c', actor: { userId: 'u', role: 'admin' } },
  recordedAt: new Date('2026-11-24T10:00:00Z'),
  hash: '00',
  ...overrides,
});

describe('catalog projection', () => {
  it('turns ProductCreated into a catalog row with the initial stock available', () => {
    expect(catalogChangeFor(recorded({}))).toEqual({
      kind: 'upsert',
      row: {
        id: productId, sku: 'MUG-1', name: 'Mug', description: 'Blue', priceCents: 1299, currency: 'EUR',
        stockAvailable: 4, version: 1n, recordedAt: new Date('2026-11-24T10:00:00Z'), position: 7n,
      },
    });
  });

  it('ignores events of other stream categories', () => {
    expect(catalogChangeFor(recorded({ streamId: 'order-1', type: 'OrderPlaced', data: {} }))).toBeUndefined();
  });

  it('rejects a product event whose data no longer matches its schema', () => {
    expect(() => catalogChangeFor(recorded({ data: { productId, sku: 'MUG-1' } }))).toThrow();
  });
});
