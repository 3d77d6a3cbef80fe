import { describe, expect, it } from '@jest/globals';
import type { Order, OrderStatus, Role } from '@shop/client';
import { availableActions, mayStillChange } from './order-actions';

const at = '2026-11-24T10:00:00.000Z';
const order = (status: OrderStatus, paid: boolean): Order => ({
  id: 'a9d3e1f0-5b6c-4d7e-8f90-1a2b3c4d5e6f',
  customerId: '0b6f1f55-7d7f-4a5e-9a4a-2f7f2c1d9e10',
  status,
  lines: [{ productId: '3f1c2b7e-9d44-4c1a-8a57-0c6f3e5b2a91', sku: 'MUG-1', name: 'Mug', quantity: 2, unitPriceCents: 1299, lineTotalCents: 2598 }],
  currency: 'EUR',
  totalCents: 2598,
  shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
  placedAt: at,
  paymentMethod: paid ? 'card' : null,
  paidAt: paid ? at : null,
  version: 1,
});

// [status, paid before?, role, the buttons to offer]
const CASES: Array<[OrderStatus, boolean, Role, string[]]> = [
  ['placed', false, 'shopper', ['pay', 'cancel']],
  ['placed', false, 'admin', ['cancel']],
  ['paid', true, 'shopper', ['cancel']],
  ['paid', true, 'admin', ['cancel', 'ship', 'refund']],
  ['shipped', true, 'shopper', []],
  ['shipped', true, 'admin', ['refund']],
  ['cancelled', false, 'admin', []],
  ['cancelled', true, 'admin', ['refund']],
  ['refunded', true, 'admin', []],
  ['paid', true, 'auditor', []],
  ['placed', false, 'analyst', []],
];

describe('availableActions', () => {
  it.each(CASES)('offers a %s order (paid: %s) to a %s: %j', (status, paid, role, expected) => {
    expect(availableActions(order(status, paid), role)).toEqual(expected);
  });

  it('takes "paid" from paidAt, not from the status: a cancelled order refunds only if money was taken', () => {
    expect(availableActions({ ...order('cancelled', false), paidAt: at }, 'admin')).toEqual(['refund']);
  });
});

describe('mayStillChange', () => {
  it('is true while someone may still pay, cancel, ship or refund the order', () => {
    expect(mayStillChange(order('placed', false))).toBe(true);
    expect(mayStillChange(order('paid', true))).toBe(true);
    expect(mayStillChange(order('shipped', true))).toBe(true);
    expect(mayStillChange(order('cancelled', true))).toBe(true);
  });

  it('is false once the order is final: refunded, or cancelled before any payment', () => {
    expect(mayStillChange(order('refunded', true))).toBe(false);
    expect(mayStillChange(order('cancelled', false))).toBe(false);
  });
});
