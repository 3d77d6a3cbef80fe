import { describe, expect, it } from '@jest/globals';
import type { ProjectedEvent } from '@shop/kernel';
import type { PlacedOrderLines } from '@shop/read-models';
import { factsFor, factsOfBatch, ordersToLoad, salesEventFor, sortSalesEvents, UnknownOrder, type MoneyMovement } from './sales-facts.js';

const orderId = '7b1f0c9a-3c2d-4e5f-8a9b-0c1d2e3f4a5b';
const otherOrderId = '8c2a1d0b-4d3e-4f60-9b0c-1d2e3f4a5b6c';
const mug = '0d7c2f8e-1f6b-4b8e-9a52-55d8f7c2b111';
const tea = '1e8d3f9a-2a7c-4c9f-8b63-66e9a8d3c222';
const customerId = '2f9e4a0b-3b8d-4d0a-9c74-77fab9e4d333';
const address = { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
let nextPosition = 100n;

const recorded = (type: string, data: Record<string, unknown>, overrides: Partial<ProjectedEvent> = {}): ProjectedEvent => {
  nextPosition += 1n;
  return {
    eventId: `a9f0f1a8-2b0c-4f5e-8e7e-${nextPosition.toString().padStart(12, '0')}`,
    streamId: `order-${String(data.orderId)}`,
    streamVersion: 1n,
    globalPosition: nextPosition,
    type,
    schemaVersion: 1,
    data,
    metadata: { correlationId: 'c', causationId: 'c', actor: { userId: 'u', role: 'shopper' } },
    // Deliberately far from the business times: facts are dated by paidAt / refundedAt, not by when stored.
    recordedAt: new Date('2030-01-01T00:00:00Z'),
    ...overrides,
  };
};

const placed = (id = orderId, currency = 'EUR'): ProjectedEvent =>
  recorded('OrderPlaced', {
    orderId: id,
    customerId,
    currency,
    totalCents: 2 * 1299 + 450,
    shippingAddress: address,
    placedAt: '2026-11-24T09:00:00.000Z',
    lines: [
      { productId: mug, sku: 'MUG-1', name: 'Blue mug', quantity: 2, unitPriceCents: 1299, lineTotalCents: 2598 },
      { productId: tea, sku: 'TEA-1', name: 'Green tea', quantity: 1, unitPriceCents: 450, lineTotalCents: 450 },
    ],
  });
const paid = (at: string, id = orderId): ProjectedEvent => recorded('OrderPaid', { orderId: id, method: 'card', amountCents: 3048, paidAt: at });
const refunded = (at: string, id = orderId): ProjectedEvent => recorded('OrderRefunded', { orderId: id, amountCents: 3048, refundedAt: at });

const linesOf = (event: ProjectedEvent): PlacedOrderLines => {
  const sales = salesEventFor(event);
  if (sales?.kind !== 'placed') throw new Error('not a placed order');
  return sales.order;
};
const movementOf = (event: ProjectedEvent): MoneyMovement => {
  const sales = salesEventFor(event);
  if (!sales || sales.kind === 'placed') throw new Error('not a payment or refund');
  return sales;
};

describe('sales facts from order events', () => {
  it('remembers a placed order\'s lines as sold (sku, name, quantity, line total) and its currency', () => {
    expect(linesOf(placed())).toEqual({
      orderId,
      currency: 'EUR',
      lines: [
        { productId: mug, sku: 'MUG-1', name: 'Blue mug', quantity: 2, lineTotalCents: 2598 },
        { productId: tea, sku: 'TEA-1', name: 'Green tea', quantity: 1, lineTotalCents: 450 },
      ],
    });
  });

  it('turns a payment into one positive fact per line, counting the order once (on its first line)', () => {
    const payment = paid('2026-11-24T10:00:00.000Z');
    expect(factsFor(movementOf(payment), linesOf(placed()))).toEqual([
      {
        eventId: payment.eventId, lineNo: 0, orderId, kind: 'payment', at: new Date('2026-11-24T10:00:00.000Z'), position: payment.globalPosition,
        currency: 'EUR', productId: mug, sku: 'MUG-1', name: 'Blue mug', sign: 1, orderDelta: 1, units: 2, revenueCents: 2598,
      },
      {
        eventId: payment.eventId, lineNo: 1, orderId, kind: 'payment', at: new Date('2026-11-24T10:00:00.000Z'), position: payment.globalPosition,
        currency: 'EUR', productId: tea, sku: 'TEA-1', name: 'Green tea', sign: 1, orderDelta: 0, units: 1, revenueCents: 450,
      },
    ]);
  });

  it('turns a refund into the same facts with every sign turned, dated by the refund', () => {
    const refund = refunded('2026-11-26T08:00:00.000Z');
    const facts = factsFor(movementOf(refund), linesOf(placed()));
    expect(facts.map(({ kind, at, sign, orderDelta, units, revenueCents }) => ({ kind, at, sign, orderDelta, units, revenueCents }))).toEqual([
      { kind: 'refund', at: new Date('2026-11-26T08:00:00.000Z'), sign: -1, orderDelta: -1, units: -2, revenueCents: -2598 },
      { kind: 'refund', at: new Date('2026-11-26T08:00:00.000Z'), sign: -1, orderDelta: 0, units: -1, revenueCents: -450 },
    ]);
  });

  it('keeps each order\'s own currency on its facts (amounts in different currencies are never mixed)', () => {
    const usd = placed(otherOrderId, 'USD');
    const facts = factsFor(movementOf(paid('2026-11-24T10:00:00.000Z', otherOrderId)), linesOf(usd));
    expect(facts.map((fact) => fact.currency)).toEqual(['USD', 'USD']);
  });

  it.each([
    ['the last millisecond of a UTC day', '2026-11-24T23:59:59.999Z', '2026-11-24T23:59:59.999Z'],
    ['UTC midnight (the next day)', '2026-11-25T00:00:00.000Z', '2026-11-25T00:00:00.000Z'],
    ['a local time whose UTC instant is the previous day', '2026-11-25T00:30:00.000+01:00', '2026-11-24T23:30:00.000Z'],
  ])('dates a payment at %s by its exact instant', (_case, paidAt, instant) => {
    expect(movementOf(paid(paidAt)).at.toISOString()).toBe(instant);
  });

  it.each([
    ['OrderShipped', { orderId, shippedAt: '2026-11-25T00:00:00.000Z' }],
    ['OrderCancelled', { orderId, cancelledAt: '2026-11-25T00:00:00.000Z' }],
  ])('counts no money for %s (a cancelled paid order stays paid until it is refunded)', (type, data) => {
    expect(salesEventFor(recorded(type, data))).toBeUndefined();
  });

  it('ignores events of other stream categories', () => {
    expect(salesEventFor(recorded('ProductCreated', { orderId }, { streamId: `product-${mug}` }))).toBeUndefined();
  });

  it('rejects an order event whose data no longer matches its schema', () => {
    expect(() => salesEventFor(recorded('OrderPaid', { orderId, paidAt: 'yesterday' }))).toThrow();
  });
});

describe('a batch of order events', () => {
  it('pays an order placed in the same batch without loading it, and asks to load only the others', () => {
    const batch = sortSalesEvents([placed(), paid('2026-11-24T10:00:00.000Z'), refunded('2026-11-24T11:00:00.000Z', otherOrderId)]);
    expect(ordersToLoad(batch)).toEqual([otherOrderId]);
    const stored = new Map([[otherOrderId, linesOf(placed(otherOrderId, 'GBP'))]]);
    const facts = factsOfBatch(batch, stored);
    expect(facts.map((f) => [f.orderId, f.kind, f.currency, f.revenueCents])).toEqual([
      [orderId, 'payment', 'EUR', 2598],
      [orderId, 'payment', 'EUR', 450],
      [otherOrderId, 'refund', 'GBP', -2598],
      [otherOrderId, 'refund', 'GBP', -450],
    ]);
  });

  it('refuses to count a payment of an order it knows nowhere (the runner then retries and dead-letters it)', () => {
    const batch = sortSalesEvents([paid('2026-11-24T10:00:00.000Z', otherOrderId)]);
    expect(() => factsOfBatch(batch, new Map())).toThrow(UnknownOrder);
  });
});
