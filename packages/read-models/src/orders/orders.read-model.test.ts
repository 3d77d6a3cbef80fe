import { describe, expect, it } from '@jest/globals';
import { OrderView, redactShippingAddress, toOrderView, type OrderRow } from './orders.read-model.js';

const row: OrderRow = {
  id: '7b1f0c9a-3c2d-4e5f-8a9b-0c1d2e3f4a5b',
  customer_id: '2c4e6a8b-1d3f-4a5b-9c7d-8e9f0a1b2c3d',
  status: 'paid',
  lines: [{ productId: '0d7c2f8e-1f6b-4b8e-9a52-55d8f7c2b111', sku: 'MUG-1', name: 'Mug', quantity: 2, unitPriceCents: 1299, lineTotalCents: 2598 }],
  currency: 'EUR',
  total_cents: '2598',
  shipping_address: { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
  placed_at: new Date('2026-11-24T10:00:00Z'),
  payment_method: 'card',
  paid_at: new Date('2026-11-24T11:00:00Z'),
  shipped_at: null,
  cancelled_at: null,
  cancellation_reason: null,
  refunded_at: null,
  customer_forgotten_at: null,
  version: '2',
};

describe('order row → view', () => {
  it('maps every column to the OpenAPI Order fields, times as ISO strings and money as numbers', () => {
    expect(toOrderView(row)).toEqual({
      id: row.id,
      customerId: row.customer_id,
      status: 'paid',
      lines: row.lines,
      currency: 'EUR',
      totalCents: 2598,
      shippingAddress: row.shipping_address,
      placedAt: '2026-11-24T10:00:00.000Z',
      paymentMethod: 'card',
      paidAt: '2026-11-24T11:00:00.000Z',
      shippedAt: null,
      cancelledAt: null,
      cancellationReason: null,
      refundedAt: null,
      version: 2,
    });
  });

  it('passes on no key a stored document has beyond the allow-listed ones', () => {
    const view = toOrderView({
      ...row,
      lines: [{ ...(row.lines as object[])[0], costPriceCents: 400 }],
      shipping_address: { ...(row.shipping_address as object), phone: '+44 20 7946 0000' },
    });
    expect(OrderView.parse(view)).toEqual(view);
    expect(JSON.stringify(view)).not.toMatch(/costPriceCents|phone/);
  });
});

describe('GDPR redaction of a shipping address', () => {
  it('keeps only the country and puts placeholders where recipient, street, city and postal code were', () => {
    expect(redactShippingAddress({ name: 'Ada Lovelace', line1: '12 St James Square', line2: 'Flat 2', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' } as { country: string })).toEqual({
      line1: '[erased]',
      city: '[erased]',
      postalCode: '[erased]',
      country: 'GB',
    });
  });

  it('still gives an address the Order schema accepts', () => {
    expect(() => OrderView.parse(toOrderView({ ...row, shipping_address: redactShippingAddress({ country: 'GB' }) }))).not.toThrow();
  });
});
