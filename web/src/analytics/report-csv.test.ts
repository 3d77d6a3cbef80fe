import { describe, expect, it } from '@jest/globals';
import { salesCsv, topProductsCsv } from './report-csv';

const RANGE = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };

describe('the analytics tables as CSV', () => {
  it('writes sales by day with revenue as a decimal amount beside its currency', () => {
    const csv = salesCsv({ ...RANGE, groupBy: 'day', items: [{ day: '2026-11-02', currency: 'EUR', orders: 2, units: 3, revenueCents: -1005 }] });
    expect(csv).toBe('Day,Currency,Orders,Units,Revenue\r\n2026-11-02,EUR,2,3,-10.05\r\n');
  });

  it('writes sales by product with names quoted where they need it', () => {
    const csv = salesCsv({
      ...RANGE,
      groupBy: 'product',
      items: [{ productId: 'p1', sku: 'MUG-1', name: 'Mug, "large"', currency: 'EUR', orders: 1, units: 2, revenueCents: 1998 }],
    });
    expect(csv).toBe('Product,SKU,Currency,Orders,Units,Revenue\r\n"Mug, ""large""",MUG-1,EUR,1,2,19.98\r\n');
  });

  it('ranks top products within each currency', () => {
    const row = (name: string, currency: 'EUR' | 'USD', revenueCents: number) => ({ productId: name, sku: name, name, currency, orders: 1, units: 1, revenueCents });
    const csv = topProductsCsv({ ...RANGE, limit: 10, items: [row('a', 'EUR', 500), row('b', 'EUR', 400), row('c', 'USD', 900)] });
    expect(csv.split('\r\n')).toEqual(['Rank,Product,SKU,Currency,Orders,Units,Revenue', '1,a,a,EUR,1,1,5.00', '2,b,b,EUR,1,1,4.00', '1,c,c,USD,1,1,9.00', '']);
  });
});
