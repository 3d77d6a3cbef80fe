import { randomUUID } from 'node:crypto';
import type { OrderEvent } from '@shop/domain';
import type { EventStore } from '@shop/kernel';
import type { SalesByDay, SalesByProduct } from '@shop/read-models';

/**
 * Test support: a small fixed order history whose reports are worked out by hand below, to hold both report
 * back-ends (and the HTTP routes) to exact answers. Times sit on and around UTC midnight on purpose.
 */
export const MUG = '0d7c2f8e-1f6b-4b8e-9a52-55d8f7c2b111';
export const TEA = '1e8d3f9a-2a7c-4c9f-8b63-66e9a8d3c222';
export const HAT = '2f9e4a0b-3b8d-4d0a-9c74-77fab9e4d333';

const address = { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
const metadata = { correlationId: 'known-sales', causationId: 'known-sales', actor: { system: 'test' } };
type Line = { productId: string; sku: string; name: string; quantity: number; unitPriceCents: number };
const mug = (quantity: number, name = 'Blue mug'): Line => ({ productId: MUG, sku: 'MUG-1', name, quantity, unitPriceCents: 1299 });
const tea = (quantity: number): Line => ({ productId: TEA, sku: 'TEA-1', name: 'Green tea', quantity, unitPriceCents: 450 });
const hat = (quantity: number): Line => ({ productId: HAT, sku: 'HAT-1', name: 'Sun hat', quantity, unitPriceCents: 2000 });

interface KnownOrder {
  currency: 'EUR' | 'USD';
  lines: Line[];
  paidAt?: string;
  shippedAt?: string;
  cancelledAt?: string;
  refundedAt?: string;
}

/**
 * A: paid a millisecond before midnight.   B: paid AT midnight, refunded the next day.   C: USD, paid and shipped.
 * D: the mug renamed since (sold as "Blue mug XL").   E: placed, never paid.   F: paid before the range, refunded in it.
 * G: USD, paid, then cancelled (still paid until refunded: it counts).
 */
const ORDERS: Record<string, KnownOrder> = {
  A: { currency: 'EUR', lines: [mug(2), tea(1)], paidAt: '2026-11-23T23:59:59.999Z' },
  B: { currency: 'EUR', lines: [tea(4)], paidAt: '2026-11-24T00:00:00.000Z', refundedAt: '2026-11-25T10:00:00.000Z' },
  C: { currency: 'USD', lines: [hat(1)], paidAt: '2026-11-24T12:00:00.000Z', shippedAt: '2026-11-24T13:00:00.000Z' },
  D: { currency: 'EUR', lines: [mug(1, 'Blue mug XL')], paidAt: '2026-11-24T15:00:00.000Z' },
  E: { currency: 'EUR', lines: [tea(1)] },
  F: { currency: 'EUR', lines: [mug(1)], paidAt: '2026-11-20T10:00:00.000Z', refundedAt: '2026-11-24T09:00:00.000Z' },
  G: { currency: 'USD', lines: [hat(2)], paidAt: '2026-11-25T01:00:00.000Z', cancelledAt: '2026-11-25T02:00:00.000Z' },
};

/** Appends the history: each order's own events in order, the orders' streams interleaved by time. */
export async function appendKnownSalesHistory(store: EventStore): Promise<void> {
  const timeline: Array<{ at: string; orderId: string; event: OrderEvent }> = [];
  for (const [, order] of Object.entries(ORDERS)) {
    const orderId = randomUUID();
    const lines = order.lines.map((line) => ({ ...line, lineTotalCents: line.quantity * line.unitPriceCents }));
    const totalCents = lines.reduce((sum, line) => sum + line.lineTotalCents, 0);
    const placedAt = '2026-11-19T08:00:00.000Z';
    timeline.push({ at: placedAt, orderId, event: { type: 'OrderPlaced', data: { orderId, customerId: randomUUID(), lines, currency: order.currency, totalCents, shippingAddress: address, placedAt } } });
    if (order.paidAt) timeline.push({ at: order.paidAt, orderId, event: { type: 'OrderPaid', data: { orderId, method: 'card', amountCents: totalCents, paidAt: order.paidAt } } });
    if (order.shippedAt) timeline.push({ at: order.shippedAt, orderId, event: { type: 'OrderShipped', data: { orderId, shippedAt: order.shippedAt } } });
    if (order.cancelledAt) timeline.push({ at: order.cancelledAt, orderId, event: { type: 'OrderCancelled', data: { orderId, cancelledAt: order.cancelledAt } } });
    if (order.refundedAt) timeline.push({ at: order.refundedAt, orderId, event: { type: 'OrderRefunded', data: { orderId, amountCents: totalCents, refundedAt: order.refundedAt } } });
  }
  timeline.sort((a, b) => a.at.localeCompare(b.at));
  for (const { orderId, event } of timeline) {
    await store.appendToStream(`order-${orderId}`, 'any', [{ eventId: randomUUID(), type: event.type, schemaVersion: 1, data: event.data, metadata }]);
  }
}

export const WHOLE_RANGE = { from: new Date('2026-11-23T00:00:00.000Z'), to: new Date('2026-11-26T00:00:00.000Z') };

export const EXPECTED_BY_DAY: SalesByDay[] = [
  { day: '2026-11-23', currency: 'EUR', orders: 1, units: 3, revenueCents: 3048 },
  // B paid (+1, 4 teas), D paid (+1, 1 mug), F refunded (-1, 1 mug).
  { day: '2026-11-24', currency: 'EUR', orders: 1, units: 4, revenueCents: 1800 },
  { day: '2026-11-24', currency: 'USD', orders: 1, units: 1, revenueCents: 2000 },
  // B refunded: a day of refunds only is negative.
  { day: '2026-11-25', currency: 'EUR', orders: -1, units: -4, revenueCents: -1800 },
  { day: '2026-11-25', currency: 'USD', orders: 1, units: 2, revenueCents: 4000 },
];

export const EXPECTED_BY_PRODUCT: SalesByProduct[] = [
  { productId: HAT, sku: 'HAT-1', name: 'Sun hat', currency: 'USD', orders: 2, units: 3, revenueCents: 6000 },
  // A +2, D +1, F refunded -1; named as last sold (D, after F's refund).
  { productId: MUG, sku: 'MUG-1', name: 'Blue mug XL', currency: 'EUR', orders: 1, units: 2, revenueCents: 2598 },
  // A +1, B +4, B refunded -4.
  { productId: TEA, sku: 'TEA-1', name: 'Green tea', currency: 'EUR', orders: 1, units: 1, revenueCents: 450 },
];

/** From UTC midnight to noon of the 24th: B's payment at 00:00 is in, C's at 12:00 and A's at 23:59:59.999 before are out. */
export const MORNING_RANGE = { from: new Date('2026-11-24T00:00:00.000Z'), to: new Date('2026-11-24T12:00:00.000Z') };
export const EXPECTED_MORNING_BY_DAY: SalesByDay[] = [{ day: '2026-11-24', currency: 'EUR', orders: 0, units: 3, revenueCents: 501 }];
