import { describe, expect, it } from '@jest/globals';
import { diffRange, shownValue } from './order-diff';

describe('diffRange', () => {
  it('asks from an earlier version (0: before the order) to a later one', () => {
    expect(diffRange(0, 3)).toEqual({ from: '0', to: '3' });
    expect(diffRange(1, 2)).toEqual({ from: '1', to: '2' });
  });

  it('refuses the same point twice and points out of order', () => {
    expect(diffRange(2, 2)).toEqual({ error: expect.stringMatching(/before/) });
    expect(diffRange(3, 1)).toEqual({ error: expect.stringMatching(/before/) });
    expect(diffRange(-1, 1)).toEqual({ error: expect.any(String) });
  });
});

describe('shownValue', () => {
  it('shows absent values as a dash, text as it is and the rest as JSON', () => {
    expect(shownValue(null)).toBe('—');
    expect(shownValue('paid')).toBe('paid');
    expect(shownValue(6980)).toBe('6980');
    expect(shownValue([{ productId: 'p', quantity: 2 }])).toBe('[{"productId":"p","quantity":2}]');
  });
});
