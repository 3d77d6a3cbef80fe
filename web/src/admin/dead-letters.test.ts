import { describe, expect, it } from '@jest/globals';
import { deadLettersHref, parseDeadLetterProjection, REDRIVE_WATCH_MS, redriveMessage, redriveVerdict } from './dead-letters';

describe('the dead-letter page', () => {
  it('keeps the projection in the hash, the first one by default and for an unknown name', () => {
    expect(deadLettersHref('orders')).toBe('#/admin/dead-letters?projection=orders');
    expect(parseDeadLetterProjection(deadLettersHref('orders'))).toBe('orders');
    expect(parseDeadLetterProjection('#/admin/dead-letters')).toBe('catalog');
    expect(parseDeadLetterProjection('#/admin/dead-letters?projection=orders%2F1of2')).toBe('catalog');
  });
});

describe('watching a redrive', () => {
  const startedAt = 1_000_000;

  it('is done as soon as a read shows the projection with no letters', () => {
    expect(redriveVerdict({ startedAt, readAt: startedAt + 2_000, remaining: 0 })).toBe('emptied');
  });

  it('goes on while letters remain, and gives up once the watch has lasted its time', () => {
    expect(redriveVerdict({ startedAt, readAt: startedAt + REDRIVE_WATCH_MS - 1, remaining: 3 })).toBe('watching');
    expect(redriveVerdict({ startedAt, readAt: startedAt + REDRIVE_WATCH_MS, remaining: 3 })).toBe('gaveUp');
  });

  it('says what happened, and how many letters are left when it gave up', () => {
    expect(redriveMessage('emptied', 'orders', 0)).toEqual({ kind: 'ok', text: 'Redriven: orders has no dead letters left.' });
    expect(redriveMessage('gaveUp', 'orders', 1).text).toMatch(/^After 60 s, 1 letter is still listed/);
    expect(redriveMessage('gaveUp', 'sales', 4)).toMatchObject({ kind: 'error', text: expect.stringContaining('4 letters are still listed') });
  });
});
