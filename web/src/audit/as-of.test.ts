import { describe, expect, it } from '@jest/globals';
import { asOfParam, isOrderId, orderIdOfStream, shortStream } from './as-of';

describe('asOfParam', () => {
  it('sends nothing for "now"', () => {
    expect(asOfParam('now', 'ignored')).toEqual({ asOf: undefined });
  });

  it('sends a local date-time input as the UTC instant it means', () => {
    const local = '2026-11-24T10:15:30';
    expect(asOfParam('time', local)).toEqual({ asOf: new Date(local).toISOString() });
    expect(asOfParam('time', '2026-11-24T10:15')).toEqual({ asOf: new Date('2026-11-24T10:15').toISOString() });
  });

  it('sends a stream version as it is', () => {
    expect(asOfParam('version', ' 3 ')).toEqual({ asOf: '3' });
  });

  it('refuses what the API would refuse: no time, version 0, non-digits', () => {
    expect(asOfParam('time', '')).toEqual({ error: expect.any(String) });
    expect(asOfParam('time', 'yesterday')).toEqual({ error: expect.any(String) });
    expect(asOfParam('version', '0')).toEqual({ error: expect.any(String) });
    expect(asOfParam('version', '2.5')).toEqual({ error: expect.any(String) });
  });
});

describe('order ids', () => {
  it('recognises an order id and the order stream it names', () => {
    expect(isOrderId(' a9d3e1f0-5b6c-4d7e-8f90-1a2b3c4d5e6f ')).toBe(true);
    expect(isOrderId('order-1')).toBe(false);
    expect(orderIdOfStream('order-a9d3e1f0-5b6c-4d7e-8f90-1a2b3c4d5e6f')).toBe('a9d3e1f0-5b6c-4d7e-8f90-1a2b3c4d5e6f');
    expect(orderIdOfStream('product-a9d3e1f0-5b6c-4d7e-8f90-1a2b3c4d5e6f')).toBeNull();
    expect(orderIdOfStream('order-not-a-uuid')).toBeNull();
  });
});

describe('shortStream', () => {
  it('shortens a uuid stream id to its category and first block, and leaves other ids alone', () => {
    expect(shortStream('order-a9d3e1f0-5b6c-4d7e-8f90-1a2b3c4d5e6f')).toBe('order-a9d3e1f0…');
    expect(shortStream('sku-mug-1')).toBe('sku-mug-1');
  });
});
