import { describe, expect, it } from '@jest/globals';
import { ANY_ORDER, orderFiltersHref, orderFiltersQuery, parseOrderFilters } from './order-filters';

describe('the admin order filters', () => {
  it('are read back from the hash they are written to, so a reload keeps them', () => {
    const fields = { status: 'paid', from: '2026-12-01', to: '2026-12-03' } as const;
    expect(orderFiltersHref(fields)).toBe('#/admin/orders?status=paid&from=2026-12-01&to=2026-12-03');
    expect(parseOrderFilters(orderFiltersHref(fields))).toEqual(fields);
    expect(orderFiltersHref(ANY_ORDER)).toBe('#/admin/orders');
  });

  it('drop an unknown status and malformed or impossible days from the hash', () => {
    expect(parseOrderFilters('#/admin/orders?status=lost&from=2026-02-30&to=yesterday')).toEqual(ANY_ORDER);
    expect(parseOrderFilters('#/admin/orders?status=refunded&from=2026-02-28')).toEqual({ status: 'refunded', from: '2026-02-28', to: '' });
  });

  it('ask the API for the day after the last one, its placedTo being exclusive (across a month end)', () => {
    expect(orderFiltersQuery({ status: 'shipped', from: '2026-11-01', to: '2026-11-30' })).toEqual({
      filters: { status: 'shipped', placedFrom: '2026-11-01', placedTo: '2026-12-01' },
    });
    expect(orderFiltersQuery(ANY_ORDER)).toEqual({ filters: {} });
  });

  it('refuse a range that ends before it starts, beside its last day', () => {
    expect(orderFiltersQuery({ status: '', from: '2026-12-03', to: '2026-12-01' })).toEqual({ errors: { to: 'The last day cannot be before the first.' } });
    expect(orderFiltersQuery({ status: '', from: '2026-12-03', to: '2026-12-03' })).toEqual({ filters: { placedFrom: '2026-12-03', placedTo: '2026-12-04' } });
  });
});
