import { describe, expect, it } from '@jest/globals';
import { MAX_LINE_QUANTITY } from '@shop/domain';
import { LOW_STOCK, maxAddable, stockBadge } from './stock';

const active = (stockAvailable: number) => ({ stockAvailable, status: 'active' as const });

describe('stockBadge', () => {
  it('says in stock above the low mark', () => {
    expect(stockBadge(active(LOW_STOCK + 1))).toEqual({ level: 'in', label: 'In stock' });
  });

  it('says how few are left at or below the low mark', () => {
    expect(stockBadge(active(LOW_STOCK))).toEqual({ level: 'low', label: `Only ${LOW_STOCK} left` });
    expect(stockBadge(active(1))).toEqual({ level: 'low', label: 'Only 1 left' });
  });

  it('says out of stock at zero', () => {
    expect(stockBadge(active(0))).toEqual({ level: 'out', label: 'Out of stock' });
  });

  it('says a discontinued product is no longer sold, whatever its stock', () => {
    expect(stockBadge({ stockAvailable: 40, status: 'discontinued' })).toEqual({ level: 'out', label: 'No longer sold' });
  });
});

describe('maxAddable', () => {
  it('is what is available beyond what the cart holds', () => {
    expect(maxAddable(active(4), 0)).toBe(4);
    expect(maxAddable(active(4), 3)).toBe(1);
    expect(maxAddable(active(4), 4)).toBe(0);
  });

  it('is never negative, even when stock fell below what the cart holds', () => {
    expect(maxAddable(active(2), 5)).toBe(0);
  });

  it('is at most what one order line takes', () => {
    expect(maxAddable(active(MAX_LINE_QUANTITY * 3), 0)).toBe(MAX_LINE_QUANTITY);
  });

  it('is nothing for a discontinued product', () => {
    expect(maxAddable({ stockAvailable: 9, status: 'discontinued' }, 0)).toBe(0);
  });
});
