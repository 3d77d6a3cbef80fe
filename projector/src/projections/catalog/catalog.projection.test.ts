import { describe, expect, it } from '@jest/globals';
import type { ProjectedEvent } from '@shop/kernel';
import { catalogUpdateFor, foldCatalogUpdates, type CatalogUpdate } from './catalog.projection.js';

const productId = '0d7c2f8e-1f6b-4b8e-9a52-55d8f7c2b111';
const orderId = '7b1f0c9a-3c2d-4e5f-8a9b-0c1d2e3f4a5b';
const recorded = (type: string, data: Record<string, unknown>, overrides: Partial<ProjectedEvent> = {}): ProjectedEvent => ({
  eventId: 'a9f0f1a8-2b0c-4f5e-8e7e-3c1d2b4a5f60',
  streamId: `product-${productId}`,
  streamVersion: 3n,
  globalPosition: 7n,
  type,
  schemaVersion: 1,
  data: { productId, ...data },
  metadata: { correlationId: 'c', causationId: 'c', actor: { userId: 'u', role: 'admin' } },
  recordedAt: new Date('2026-11-24T10:00:00Z'),
  ...overrides,
});

describe('catalog projection', () => {
  it('turns ProductCreated into a new row with the initial stock available', () => {
    const created = recorded('ProductCreated', { sku: 'MUG-1', name: 'Mug', description: 'Blue', priceCents: 1299, currency: 'EUR', initialStock: 4 });
    expect(catalogUpdateFor(created)).toEqual({
      productId,
      version: 3n,
      recordedAt: new Date('2026-11-24T10:00:00Z'),
      position: 7n,
      change: { kind: 'create', row: { sku: 'MUG-1', name: 'Mug', description: 'Blue', priceCents: 1299, currency: 'EUR', stockAvailable: 4, imageUrl: null } },
    });
  });

  it('carries the image of a ProductCreated that has one into the new row', () => {
    const created = recorded('ProductCreated', { sku: 'MUG-1', name: 'Mug', description: '', priceCents: 1, currency: 'EUR', initialStock: 0, imageUrl: '/mug.png' });
    expect(catalogUpdateFor(created)?.change).toMatchObject({ kind: 'create', row: { imageUrl: '/mug.png' } });
  });

  it.each([
    ['StockReceived', { quantity: 5, reason: 'delivery' }, 5],
    ['StockAdjusted', { delta: -2, reason: 'breakage' }, -2],
    ['StockReserved', { orderId, quantity: 3 }, -3],
    ['StockReleased', { orderId, quantity: 3 }, 3],
    ['ReservationFulfilled', { orderId, quantity: 3 }, 0],
  ])('moves available stock on %s', (type, data, delta) => {
    expect(catalogUpdateFor(recorded(type, data))?.change).toEqual({ kind: 'stock', delta });
  });

  it.each([
    ['ProductRenamed', { name: 'Big mug' }, { name: 'Big mug' }],
    ['ProductRedescribed', { description: 'Red' }, { description: 'Red' }],
    ['ProductRepriced', { priceCents: 999 }, { price_cents: 999 }],
    ['ProductDiscontinued', {}, { status: 'discontinued' }],
    ['ProductImageChanged', { imageUrl: 'https://cdn.example.com/mug.png' }, { image_url: 'https://cdn.example.com/mug.png' }],
    ['ProductImageChanged', { imageUrl: null }, { image_url: null }],
  ])('sets the changed field on %s', (type, data, fields) => {
    expect(catalogUpdateFor(recorded(type, data))?.change).toEqual({ kind: 'set', fields });
  });

  it('ignores events of other stream categories', () => {
    expect(catalogUpdateFor(recorded('OrderPlaced', {}, { streamId: 'order-1' }))).toBeUndefined();
  });

  it('rejects a product event whose data no longer matches its schema', () => {
    expect(() => catalogUpdateFor(recorded('ProductCreated', { sku: 'MUG-1' }))).toThrow();
  });
});

describe('folding a batch of catalog updates (the bulk rebuild path)', () => {
  const at = (version: bigint, change: CatalogUpdate['change']): CatalogUpdate => ({
    productId,
    version,
    recordedAt: new Date(`2026-11-24T10:00:0${version}Z`),
    position: version * 10n,
    change,
  });

  it('folds one product\'s updates into one change: sums stock, keeps the last value of each field and the last version', () => {
    const row = { sku: 'S', name: 'First', description: '', priceCents: 100, currency: 'EUR', stockAvailable: 4, imageUrl: null };
    const [folded] = foldCatalogUpdates([
      at(1n, { kind: 'create', row }),
      at(2n, { kind: 'stock', delta: 5 }),
      at(3n, { kind: 'set', fields: { name: 'Second' } }),
      at(4n, { kind: 'stock', delta: -2 }),
      at(5n, { kind: 'set', fields: { name: 'Third', price_cents: 90 } }),
    ]);
    expect(folded).toEqual({
      productId,
      created: { ...row, createdAt: new Date('2026-11-24T10:00:01Z') },
      stockDelta: 3,
      fields: { name: 'Third', price_cents: 90 },
      firstVersion: 1n,
      version: 5n,
      updatedAt: new Date('2026-11-24T10:00:05Z'),
      position: 50n,
    });
  });

  it('keeps a removed image as a set null, so the write can tell it from a field the batch never touched', () => {
    const [folded] = foldCatalogUpdates([at(1n, { kind: 'set', fields: { image_url: '/a.png' } }), at(2n, { kind: 'set', fields: { image_url: null } })]);
    expect(folded?.fields).toEqual({ image_url: null });
  });
});
