import { describe, expect, it } from '@jest/globals';
import type { ProjectedEvent } from '@shop/kernel';
import { foldOrdersUpdates, ordersUpdateFor, type NewOrderRow, type OrdersUpdate } from './orders.projection.js';

const orderId = '7b1f0c9a-3c2d-4e5f-8a9b-0c1d2e3f4a5b';
const customerId = '2c4e6a8b-1d3f-4a5b-9c7d-8e9f0a1b2c3d';
const productId = '0d7c2f8e-1f6b-4b8e-9a52-55d8f7c2b111';
const address = { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };
const lines = [{ productId, sku: 'MUG-1', name: 'Mug', quantity: 2, unitPriceCents: 1299, lineTotalCents: 2598 }];

const recorded = (streamId: string, type: string, data: Record<string, unknown>, version = 1n, position = 7n): ProjectedEvent => ({
  eventId: 'a9f0f1a8-2b0c-4f5e-8e7e-3c1d2b4a5f60',
  streamId,
  streamVersion: version,
  globalPosition: position,
  type,
  schemaVersion: 1,
  data,
  metadata: { correlationId: 'c', causationId: 'c', actor: { userId: 'u', role: 'shopper' } },
  recordedAt: new Date('2026-11-24T10:00:00Z'),
});
const orderEvent = (type: string, data: Record<string, unknown>, version = 1n, position = 7n): ProjectedEvent =>
  recorded(`order-${orderId}`, type, { orderId, ...data }, version, position);

const placed: NewOrderRow = { customerId, lines, currency: 'EUR', totalCents: 2598, shippingAddress: address, placedAt: '2026-11-24T10:00:00.000Z' };

describe('orders projection: the change each event makes', () => {
  it('turns OrderPlaced into a new row with the lines as sold and the shipping address', () => {
    expect(ordersUpdateFor(orderEvent('OrderPlaced', { ...placed }))).toEqual({
      kind: 'order',
      orderId,
      version: 1n,
      position: 7n,
      change: { kind: 'place', order: placed },
    });
  });

  it.each([
    ['OrderPaid', { method: 'card', amountCents: 2598, paidAt: '2026-11-24T11:00:00Z' }, { status: 'paid', payment_method: 'card', paid_at: '2026-11-24T11:00:00Z' }],
    ['OrderShipped', { shippedAt: '2026-11-25T09:00:00Z' }, { status: 'shipped', shipped_at: '2026-11-25T09:00:00Z' }],
    ['OrderCancelled', { reason: 'changed my mind', cancelledAt: '2026-11-24T12:00:00Z' }, { status: 'cancelled', cancelled_at: '2026-11-24T12:00:00Z', cancellation_reason: 'changed my mind' }],
    ['OrderCancelled', { cancelledAt: '2026-11-24T12:00:00Z' }, { status: 'cancelled', cancelled_at: '2026-11-24T12:00:00Z' }],
    ['OrderRefunded', { amountCents: 2598, refundedAt: '2026-11-26T08:00:00Z' }, { status: 'refunded', refunded_at: '2026-11-26T08:00:00Z' }],
  ])('sets the status and its columns on %s', (type, data, fields) => {
    expect(ordersUpdateFor(orderEvent(type, data, 2n))).toMatchObject({ kind: 'order', orderId, version: 2n, change: { kind: 'set', fields } });
  });

  it('turns CustomerForgotten into the erasure of that customer\'s orders', () => {
    const forgotten = recorded(`customer-${customerId}`, 'CustomerForgotten', { customerId, forgottenAt: '2026-12-01T00:00:00Z' }, 3n, 40n);
    expect(ordersUpdateFor(forgotten)).toEqual({ kind: 'customer-forgotten', customerId, forgottenAt: '2026-12-01T00:00:00Z', position: 40n });
  });

  it('ignores the other customer events and other stream categories', () => {
    const registered = recorded(`customer-${customerId}`, 'CustomerRegistered', { customerId, email: 'a@b.example', name: 'A', registeredAt: '2026-11-01T00:00:00Z' });
    expect(ordersUpdateFor(registered)).toBeUndefined();
    expect(ordersUpdateFor(recorded(`product-${productId}`, 'ProductDiscontinued', { productId }))).toBeUndefined();
  });

  it('rejects an order event whose data no longer matches its schema', () => {
    expect(() => ordersUpdateFor(orderEvent('OrderPaid', { method: 'cash', amountCents: 1, paidAt: '2026-11-24T11:00:00Z' }))).toThrow();
  });

  it('rejects a customer event whose data no longer matches its schema, even one it would skip', () => {
    expect(() => ordersUpdateFor(recorded(`customer-${customerId}`, 'CustomerRegistered', { customerId }))).toThrow();
  });
});

describe('folding a batch of orders updates (the set-based path)', () => {
  const at = (version: bigint, change: Extract<OrdersUpdate, { kind: 'order' }>['change'], id = orderId): OrdersUpdate => ({
    kind: 'order',
    orderId: id,
    version,
    position: version * 10n,
    change,
  });

  it('folds one order\'s lifecycle into one row change: the placed order, the last status, every column set and the last version', () => {
    const { orders, forgotten } = foldOrdersUpdates([
      at(1n, { kind: 'place', order: placed }),
      at(2n, { kind: 'set', fields: { status: 'paid', payment_method: 'card', paid_at: '2026-11-24T11:00:00Z' } }),
      at(3n, { kind: 'set', fields: { status: 'cancelled', cancelled_at: '2026-11-24T12:00:00Z' } }),
      at(4n, { kind: 'set', fields: { status: 'refunded', refunded_at: '2026-11-24T13:00:00Z' } }),
    ]);
    expect(forgotten).toEqual([]);
    expect(orders).toEqual([
      {
        orderId,
        placed,
        fields: { status: 'refunded', payment_method: 'card', paid_at: '2026-11-24T11:00:00Z', cancelled_at: '2026-11-24T12:00:00Z', refunded_at: '2026-11-24T13:00:00Z' },
        firstVersion: 1n,
        version: 4n,
        position: 40n,
      },
    ]);
  });

  it('keeps the first version of an existing order\'s changes, which guards the whole folded update', () => {
    const { orders } = foldOrdersUpdates([at(5n, { kind: 'set', fields: { status: 'shipped', shipped_at: '2026-11-25T09:00:00Z' } })]);
    expect(orders[0]).toEqual({ orderId, fields: { status: 'shipped', shipped_at: '2026-11-25T09:00:00Z' }, firstVersion: 5n, version: 5n, position: 50n });
  });

  it('keeps each order apart and counts each customer\'s first erasure only', () => {
    const other = '9d3c1f2e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';
    const { orders, forgotten } = foldOrdersUpdates([
      at(1n, { kind: 'place', order: placed }),
      { kind: 'customer-forgotten', customerId, forgottenAt: '2026-12-01T00:00:00Z', position: 11n },
      at(1n, { kind: 'place', order: { ...placed, totalCents: 1 } }, other),
      { kind: 'customer-forgotten', customerId, forgottenAt: '2026-12-02T00:00:00Z', position: 12n },
    ]);
    expect(orders.map((o) => o.orderId)).toEqual([orderId, other]);
    expect(forgotten).toEqual([{ customerId, forgottenAt: '2026-12-01T00:00:00Z', position: 11n }]);
  });
});
