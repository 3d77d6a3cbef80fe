import { describe, expect, it } from '@jest/globals';
import { compareSalesByDay, topProductsPerCurrency, type SalesByDay, type SalesByProduct } from './sales.read-model.js';

const product = (productId: string, currency: string, revenueCents: number): SalesByProduct => ({
  productId: `00000000-0000-4000-8000-00000000000${productId}`,
  sku: `S-${productId}`,
  name: `P${productId}`,
  currency,
  orders: 1,
  units: 1,
  revenueCents,
});

describe('sales report ordering', () => {
  it('orders days ascending, then currencies', () => {
    const row = (day: string, currency: string): SalesByDay => ({ day, currency, orders: 1, units: 1, revenueCents: 1 });
    expect([row('2026-11-25', 'EUR'), row('2026-11-24', 'USD'), row('2026-11-24', 'EUR')].sort(compareSalesByDay)).toEqual([
      row('2026-11-24', 'EUR'),
      row('2026-11-24', 'USD'),
      row('2026-11-25', 'EUR'),
    ]);
  });

  it('picks the top products by revenue within each currency, never comparing across currencies, ties by product id', () => {
    const rows = [product('1', 'EUR', 500), product('2', 'USD', 9_000), product('3', 'EUR', 700), product('4', 'EUR', 500), product('5', 'USD', -10)];
    expect(topProductsPerCurrency(rows, 2).map((r) => [r.currency, r.productId.slice(-1), r.revenueCents])).toEqual([
      ['EUR', '3', 700],
      ['EUR', '1', 500],
      ['USD', '2', 9_000],
      ['USD', '5', -10],
    ]);
  });
});
