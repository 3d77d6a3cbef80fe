import { describe, expect, it } from '@jest/globals';
import type { SalesReport } from '@shop/client';
import { daysOf, defaultSalesFields, salesQuery, totalsByCurrency } from './sales-query';

describe('salesQuery', () => {
  it('asks from the start of the first UTC day up to the start of the day after the last (`to` is exclusive)', () => {
    expect(salesQuery({ from: '2026-11-01', to: '2026-11-30', groupBy: 'day' })).toEqual({
      query: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', groupBy: 'day' },
    });
  });

  it('allows a single day', () => {
    expect(salesQuery({ from: '2026-11-24', to: '2026-11-24', groupBy: 'product' })).toEqual({
      query: { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z', groupBy: 'product' },
    });
  });

  it('refuses a first day after the last, and days that do not exist', () => {
    expect(salesQuery({ from: '2026-11-25', to: '2026-11-24', groupBy: 'day' })).toEqual({ error: expect.stringMatching(/after/) });
    expect(salesQuery({ from: '2026-02-30', to: '2026-03-01', groupBy: 'day' })).toEqual({ error: expect.any(String) });
    expect(salesQuery({ from: '', to: '2026-03-01', groupBy: 'day' })).toEqual({ error: expect.any(String) });
  });

  it('covers at most 366 days, as the API does', () => {
    expect(salesQuery({ from: '2024-01-01', to: '2024-12-31', groupBy: 'day' })).toHaveProperty('query');
    expect(salesQuery({ from: '2024-01-01', to: '2025-01-01', groupBy: 'day' })).toEqual({ error: expect.stringMatching(/366 days/) });
  });

  it('gives back the days the form asked for', () => {
    const checked = salesQuery({ from: '2026-11-01', to: '2026-11-30', groupBy: 'day' });
    expect('query' in checked && daysOf(checked.query)).toEqual({ fromDay: '2026-11-01', toDay: '2026-11-30' });
  });

  it('defaults to the last 30 days, today included', () => {
    expect(defaultSalesFields(new Date('2026-11-24T18:00:00Z'))).toEqual({ from: '2026-10-26', to: '2026-11-24', groupBy: 'day' });
  });
});

describe('totalsByCurrency', () => {
  it('adds the rows of each currency and never across currencies', () => {
    const report: SalesReport = {
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      groupBy: 'day',
      items: [
        { day: '2026-11-01', currency: 'EUR', orders: 2, units: 3, revenueCents: 3000 },
        { day: '2026-11-01', currency: 'USD', orders: 1, units: 1, revenueCents: 999 },
        { day: '2026-11-02', currency: 'EUR', orders: -1, units: -1, revenueCents: -1000 },
      ],
    };
    expect(totalsByCurrency(report)).toEqual([
      { currency: 'EUR', orders: 1, units: 2, revenueCents: 2000 },
      { currency: 'USD', orders: 1, units: 1, revenueCents: 999 },
    ]);
  });
});
