import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { decideOrder, evolveOrder, initialOrderState, orderStreamId, type OrderCommand, type OrderEvent, type OrderPaid, type OrderPlaced, type OrderRefunded, type OrderShipped } from '@shop/domain';
import type { EventStore, RecordedEvent } from '@shop/kernel';
import { newEvent, TEST_METADATA } from './new-event.js';

/** Two mugs at 12.50 EUR for a customer in Hamburg: the order the audit suites read back. */
export const orderPlaced = (orderId: string, placedAt: string, ids: { customerId?: string; productId?: string } = {}): OrderPlaced => ({
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId: ids.customerId ?? randomUUID(),
    lines: [{ productId: ids.productId ?? randomUUID(), sku: 'MUG-1', name: 'Mug', quantity: 2, unitPriceCents: 1250, lineTotalCents: 2500 }],
    currency: 'EUR',
    totalCents: 2500,
    shippingAddress: { line1: '1 Quay', city: 'Hamburg', postalCode: '20457', country: 'DE' },
    placedAt,
  },
});

/** What happens to an order after it was placed, at the time `now` it happens. */
export type OrderStep = (now: string) => OrderCommand;

/**
 * An order's stream as the command service writes it: `placed`, then each step decided by the order decider on the
 * state so far and appended, 20 ms apart so that every version has a recorded time of its own. Answers the stream
 * as stored.
 */
export async function appendOrderStory(store: EventStore, placed: OrderPlaced, steps: readonly OrderStep[]): Promise<RecordedEvent[]> {
  const stream = orderStreamId(placed.data.orderId);
  await store.appendToStream(stream, 'no_stream', [newEvent(placed)]);
  let state = evolveOrder(initialOrderState, placed);
  for (const step of steps) {
    await sleep(20);
    const events = decideOrder(step(new Date().toISOString()), state);
    await store.appendToStream(stream, 'exists', events.map(newEvent));
    state = events.reduce(evolveOrder, state);
  }
  return store.readStream(stream);
}

/**
 * `events` as the store would hand them back for `order-<orderId>`, without a store: version n recorded at minute n
 * past 10:00 on 1 June 2025, at global position 10·n, with event id `00000000-0000-4000-8000-00000000000<n>`.
 */
export const recordedOrderStream = (orderId: string, events: readonly OrderEvent[]): RecordedEvent[] =>
  events.map((event, i) => ({
    eventId: `00000000-0000-4000-8000-00000000000${i + 1}`,
    streamId: orderStreamId(orderId),
    streamVersion: BigInt(i + 1),
    globalPosition: BigInt(10 * (i + 1)),
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: TEST_METADATA,
    recordedAt: new Date(Date.UTC(2025, 5, 1, 10, i + 1)),
    hash: 'ab'.repeat(32),
  }));

const ids = { orderId: '0b8f9c2e-4d1a-4e6b-9f3c-2a7d5e8b1c40', customerId: '5c2e7a91-3b4d-4f6e-8a1c-9d0b2e4f6a83', productId: '9e1d3c5b-7a2f-4e8d-b6c4-1f3a5e7d9b02' };
const placed = orderPlaced(ids.orderId, '2025-06-01T10:00:00.000Z', ids);
const paid: OrderPaid = { type: 'OrderPaid', data: { orderId: ids.orderId, method: 'paypal', amountCents: 2500, paidAt: '2025-06-01T10:05:00.000Z' } };
const shipped: OrderShipped = { type: 'OrderShipped', data: { orderId: ids.orderId, shippedAt: '2025-06-02T08:00:00.000Z' } };
const refunded: OrderRefunded = { type: 'OrderRefunded', data: { orderId: ids.orderId, amountCents: 2500, refundedAt: '2025-06-09T12:00:00.000Z' } };

/**
 * One order's whole life with fixed ids and times, for the pure audit tests: placed, paid by PayPal, shipped,
 * refunded; `stream` holds them as recordedOrderStream records them (version n at minute n past 10:00).
 */
export const REFUNDED_ORDER = { ...ids, placed, paid, shipped, refunded, stream: recordedOrderStream(ids.orderId, [placed, paid, shipped, refunded]) };
