import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Product } from '@shop/client';
import { formatAmount, parseCents } from '../money';
import { draftOf, productChanges, stockAdjustment, stockDelta } from './product-changes';

const mug: Product = { id: 'p1', sku: 'MUG-1', name: 'Mug', description: 'Blue', priceCents: 1299, currency: 'EUR', stockAvailable: 5, version: 3, status: 'active', imageUrl: null };

describe('productChanges', () => {
  it('starts the form from the version read, with the price as plain decimal text', () => {
    expect(draftOf(mug)).toEqual({ name: 'Mug', description: 'Blue', price: '12.99' });
  });

  it('sends only the fields that differ from the version read', () => {
    expect(productChanges(mug, { ...draftOf(mug), price: '14.99' })).toEqual({ changes: { priceCents: 1499 } });
    expect(productChanges(mug, { name: 'Big mug', description: 'Blue', price: '12.99' })).toEqual({ changes: { name: 'Big mug' } });
    expect(productChanges(mug, { name: 'Mug', description: '', price: '12.99' })).toEqual({ changes: { description: '' } });
  });

  it('says when nothing changed, rather than sending an empty PATCH (the API refuses it)', () => {
    expect(productChanges(mug, { name: ' Mug ', description: 'Blue', price: '12.99' })).toEqual({ unchanged: true });
  });

  it('refuses an empty name and a price with more than two decimals', () => {
    expect(productChanges(mug, { name: '  ', description: 'Blue', price: '1.234' })).toEqual({ errors: { name: expect.any(String), price: expect.any(String) } });
  });
});

describe('formatAmount', () => {
  it('writes cents as decimal text', () => {
    expect(formatAmount(1234)).toBe('12.34');
    expect(formatAmount(5)).toBe('0.05');
    expect(formatAmount(100)).toBe('1.00');
  });

  it('is read back exactly by parseCents, for every amount', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (cents) => parseCents(formatAmount(cents)) === cents));
  });
});

describe('stockAdjustment', () => {
  it('turns a receipt into a positive delta and a write-off into a negative one', () => {
    expect(stockAdjustment({ direction: 'received', units: '24', reason: ' delivery 2024-06-01 ' })).toEqual({ adjustment: { delta: 24, reason: 'delivery 2024-06-01' } });
    expect(stockAdjustment({ direction: 'writtenOff', units: '2', reason: 'broken' })).toEqual({ adjustment: { delta: -2, reason: 'broken' } });
  });

  it('refuses zero, fractions, signs and a missing reason (the API never takes a delta of 0)', () => {
    for (const units of ['0', '1.5', '-3', '', 'ten']) {
      expect(stockAdjustment({ direction: 'received', units, reason: 'x' })).toEqual({ errors: { units: expect.any(String) } });
    }
    expect(stockAdjustment({ direction: 'received', units: '1', reason: '  ' })).toEqual({ errors: { reason: expect.any(String) } });
  });
});

describe('stockDelta', () => {
  it('reads a signed delta: a minus sign writes units off, a plus sign or none adds them', () => {
    expect(stockDelta({ delta: '-2', reason: ' broken ' })).toEqual({ adjustment: { delta: -2, reason: 'broken' } });
    expect(stockDelta({ delta: '+24', reason: 'delivery' })).toEqual({ adjustment: { delta: 24, reason: 'delivery' } });
    expect(stockDelta({ delta: '7', reason: 'count' })).toEqual({ adjustment: { delta: 7, reason: 'count' } });
  });

  it('refuses zero, fractions, words and an empty reason, each beside its field', () => {
    for (const delta of ['0', '-0', '1.5', '', 'ten', '--3', '2000000000']) {
      expect(stockDelta({ delta, reason: 'x' })).toEqual({ errors: { delta: expect.any(String) } });
    }
    expect(stockDelta({ delta: '3', reason: ' ' })).toEqual({ errors: { reason: expect.any(String) } });
  });
});
