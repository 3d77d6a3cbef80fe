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

  describe('PayOrder', () => {
    it('pays a placed order for its total', () => {
      given([placed]).when(pay).then([paid]);
    });

    it('records the payment method the shopper chose', () => {
      given([placed])
        .when({ type: 'PayOrder', data: { orderId, method: 'paypal', paidAt: at } })
        .then([{ type: 'OrderPaid', data: { orderId, method: 'paypal', amountCents: 2598, paidAt: at } }]);
    });

    it('refuses to pay an order twice', () => {
      given([placed, paid]).when(pay).thenFails('illegal_transition');
    });

    it('refuses to pay a cancelled order', () => {
      given([placed, cancelled]).when(pay).thenFails('illegal_transition');
    });

    it('refuses to pay a shipped order', () => {
      given([placed, paid, shipped]).when(pay).thenFails('illegal_transition');
    });
  });

  describe('ShipOrder', () => {
    it('ships a paid order', () => {
      given([placed, paid]).when(ship).then([shipped]);
    });

    it('refuses to ship an order before it is paid', () => {
      given([placed]).when(ship).thenFails('illegal_transition');
    });

    it('refuses to ship an order twice', () => {
      given([placed, paid, shipped]).when(ship).thenFails('illegal_transition');
    });

    it('refuses to ship a cancelled order', () => {
      given([placed, paid, cancelled]).when(ship).thenFails('illegal_transition');
    });

    it('refuses to ship a refunded order', () => {
      given([placed, paid, refunded]).when(ship).thenFails('illegal_transition');
    });
  });

  describe('CancelOrder', () => {
    it('cancels a placed order', () => {
      given([placed]).when(cancel).then([cancelled]);
    });

    it('cancels a paid order', () => {
      given([placed, paid]).when(cancel).then([cancelled]);
    });

    it('records the reason given', () => {
      given([placed])
        .when({ type: 'CancelOrder', data: { orderId, reason: 'changed my mind', cancelledAt: at } })
        .then([{ type: 'OrderCancelled', data: { orderId, reason: 'changed my mind', cancelledAt: at } }]);
    });

    it('refuses to cancel a shipped order', () => {
      given([placed, paid, shipped]).when(cancel).thenFails('illegal_transition');
    });

    it('refuses to cancel an order twice', () => {
      given([placed, cancelled]).when(cancel).thenFails('illegal_transition');
    });

    it('refuses to cancel a refunded order', () => {
      given([placed, paid, refunded]).when(cancel).thenFails('illegal_transition');
    });
  });

  describe('RefundOrder', () => {
    it('refunds a paid order in full', () => {
      given([placed, paid]).when(refund).then([refunded]);
    });

    it('refunds a shipped order', () => {
      given([placed, paid, shipped]).when(refund).then([refunded]);
    });

    it('refunds an order cancelled after payment', () => {
      given([placed, paid, cancelled]).when(refund).then([refunded]);
    });

    it('refuses to refund an unpaid order', () => {
      given([placed]).when(refund).thenFails('illegal_transition');
    });

    it('refuses to refund an order cancelled before payment', () => {
      given([placed, cancelled]).when(refund).thenFails('illegal_transition');
    });

    it('refuses to refund an order twice', () => {
      given([placed, paid, refunded]).when(refund).thenFails('illegal_transition');
    });
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
