import { describe, expect, it } from '@jest/globals';
import type { SalesByDay } from '@shop/client';
import { chartSummary, daysBetween, revenueByDay, topProductsByCurrency } from './chart-data';

describe('revenueByDay', () => {
  it('gives every day of the range a bar, zero where nothing sold, one series per currency', () => {
    const rows: SalesByDay[] = [
      { day: '2026-11-03', currency: 'USD', orders: 1, units: 1, revenueCents: 700 },
      { day: '2026-11-01', currency: 'EUR', orders: 1, units: 1, revenueCents: 3490 },
      { day: '2026-11-03', currency: 'EUR', orders: 1, units: 1, revenueCents: -1000 },
    ];
    expect(revenueByDay(rows, '2026-11-01', '2026-11-03')).toEqual([
      { currency: 'EUR', labels: ['2026-11-01', '2026-11-02', '2026-11-03'], cents: [3490, 0, -1000] },
      { currency: 'USD', labels: ['2026-11-01', '2026-11-02', '2026-11-03'], cents: [0, 0, 700] },
    ]);
  });

  it('spans month and leap-day boundaries', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysBetween('2026-11-05', '2026-11-05')).toEqual(['2026-11-05']);
  });
});

describe('topProductsByCurrency', () => {
  it('keeps the API order within each currency and never mixes currencies', () => {
    const row = (name: string, currency: 'EUR' | 'USD', revenueCents: number) => ({ productId: name, sku: name, name, currency, orders: 1, units: 1, revenueCents });
    expect(topProductsByCurrency([row('tea', 'USD', 900), row('mug', 'EUR', 500), row('pot', 'EUR', 400)])).toEqual([
      { currency: 'EUR', labels: ['mug', 'pot'], cents: [500, 400] },
      { currency: 'USD', labels: ['tea'], cents: [900] },
    ]);
  });
});

describe('chartSummary', () => {
  it('names the highest, the lowest and the total, for readers who cannot see the canvas', () => {
    expect(chartSummary('Revenue by day', { currency: 'EUR', labels: ['2026-11-01', '2026-11-02', '2026-11-03'], cents: [3490, 0, -1000] })).toBe(
      'Revenue by day in EUR, 3 bars from 2026-11-01 to 2026-11-03: highest €34.90 (2026-11-01), lowest -€10.00 (2026-11-03), total €24.90.',
    );
  });

  it('says when there is nothing to draw', () => {
    expect(chartSummary('Top products', { currency: 'EUR', labels: [], cents: [] })).toBe('Top products in EUR: no data.');
  });
});
