import { describe, expect, it } from '@jest/globals';
import { deciderSpec } from '../shared/decider-spec.js';
import { decideOrder, evolveOrder, initialOrderState, type OrderCommand } from './order.decider.js';
import type { OrderEvent } from './order.events.js';

const orderId = '2b7d1c3e-8f4a-4b6c-9d2e-1a3b5c7d9e01';
const customerId = '0d6f2c4a-1b3e-4c5d-8e7f-9a0b1c2d3e4f';
const productId = '6f1c8c1e-6a51-4a8f-9a39-0c1f5a4b2d10';
const at = '2025-03-01T10:00:00.000Z';

const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId,
    lines: [{ productId, sku: 'MUG-1', name: 'Mug', quantity: 2, unitPriceCents: 1299, lineTotalCents: 2598 }],
    currency: 'EUR',
    totalCents: 2598,
    shippingAddress: { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    placedAt: at,
  },
};
const paid: OrderEvent = { type: 'OrderPaid', data: { orderId, method: 'card', amountCents: 2598, paidAt: at } };
const shipped: OrderEvent = { type: 'OrderShipped', data: { orderId, shippedAt: at } };
const cancelled: OrderEvent = { type: 'OrderCancelled', data: { orderId, cancelledAt: at } };
const refunded: OrderEvent = { type: 'OrderRefunded', data: { orderId, amountCents: 2598, refundedAt: at } };

const pay: OrderCommand = { type: 'PayOrder', data: { orderId, method: 'card', paidAt: at } };
const ship: OrderCommand = { type: 'ShipOrder', data: { orderId, shippedAt: at } };
const cancel: OrderCommand = { type: 'CancelOrder', data: { orderId, cancelledAt: at } };
const refund: OrderCommand = { type: 'RefundOrder', data: { orderId, refundedAt: at } };

/** given(events) · when(command) · then(events | error) */
const given = deciderSpec({ decide: decideOrder, evolve: evolveOrder, initialState: initialOrderState });

describe('order decider', () => {
  it.each([pay, ship, cancel, refund])('refuses $type on an order that does not exist', (command) => {
    given([]).when(command).thenFails('order_not_found');
  });

  // The order's lifecycle as two tables: from each history, what a command decides, and what it refuses.
  it.each<[string, OrderEvent[], OrderCommand, OrderEvent[]]>([
    ['pays a placed order for its total', [placed], pay, [paid]],
    ['ships a paid order', [placed, paid], ship, [shipped]],
    ['cancels a placed order', [placed], cancel, [cancelled]],
    ['cancels a paid order', [placed, paid], cancel, [cancelled]],
    ['refunds a paid order in full', [placed, paid], refund, [refunded]],
    ['refunds a shipped order', [placed, paid, shipped], refund, [refunded]],
    ['refunds an order cancelled after payment', [placed, paid, cancelled], refund, [refunded]],
  ])('%s', (_sentence, history, command, events) => {
    given(history).when(command).then(events);
  });

  it.each<[string, OrderEvent[], OrderCommand]>([
    ['pay an order twice', [placed, paid], pay],
    ['pay a cancelled order', [placed, cancelled], pay],
    ['pay a shipped order', [placed, paid, shipped], pay],
    ['ship an order before it is paid', [placed], ship],
    ['ship an order twice', [placed, paid, shipped], ship],
    ['ship a cancelled order', [placed, paid, cancelled], ship],
    ['ship a refunded order', [placed, paid, refunded], ship],
    ['cancel a shipped order', [placed, paid, shipped], cancel],
    ['cancel an order twice', [placed, cancelled], cancel],
    ['cancel a refunded order', [placed, paid, refunded], cancel],
    ['refund an unpaid order', [placed], refund],
    ['refund an order cancelled before payment', [placed, cancelled], refund],
    ['refund an order twice', [placed, paid, refunded], refund],
  ])('refuses to %s', (_action, history, command) => {
    given(history).when(command).thenFails('illegal_transition');
  });

  it('records the payment method the shopper chose', () => {
    given([placed])
      .when({ type: 'PayOrder', data: { orderId, method: 'paypal', paidAt: at } })
      .then([{ type: 'OrderPaid', data: { orderId, method: 'paypal', amountCents: 2598, paidAt: at } }]);
  });

  it('records the reason given for a cancellation', () => {
    given([placed])
      .when({ type: 'CancelOrder', data: { orderId, reason: 'changed my mind', cancelledAt: at } })
      .then([{ type: 'OrderCancelled', data: { orderId, reason: 'changed my mind', cancelledAt: at } }]);
  });

  describe('evolve', () => {
    it('evolves a placed order into an unpaid one with its lines and total', () => {
      expect(given([placed]).state()).toEqual({ status: 'placed', ...placed.data, paid: false });
    });

    it('remembers the payment once the order is shipped', () => {
      expect(given([placed, paid, shipped]).state()).toMatchObject({ status: 'shipped', paid: true });
    });

    it('refuses to evolve an event that arrives before the order was placed', () => {
      expect(() => evolveOrder(initialOrderState, paid)).toThrow(/never placed/);
    });
  });
});
