import { describe, expect, it } from '@jest/globals';
import { Instant, isBefore, microsecondsOf } from './order-filters.js';

describe('the instant of a placedFrom / placedTo date-time', () => {
  it('counts microseconds since the epoch, whatever the offset', () => {
    expect(microsecondsOf('1970-01-01T00:00:01Z')).toBe(1_000_000n);
    expect(microsecondsOf('1970-01-01T01:00:01+01:00')).toBe(1_000_000n);
  });

  it('is undefined for text that is no date-time, so a refused field never throws', () => {
    expect(microsecondsOf('null')).toBeUndefined();
    expect(isBefore('null', ' ')).toBe(true);
    expect(isBefore('2026-11-02T00:00:00Z', '2026-11-01T00:00:00Z')).toBe(false);
  });

  it('keeps the microseconds a Date would drop', () => {
    const at = (text: string): bigint => microsecondsOf(text) ?? -1n;
    expect(at('2026-11-01T10:00:09.000001Z') - at('2026-11-01T10:00:09Z')).toBe(1n);
    expect(at('2026-11-01T10:00:09.5Z') - at('2026-11-01T10:00:09Z')).toBe(500_000n);
  });
});

describe('a placedFrom / placedTo value', () => {
  it('reads a date as its midnight in UTC, and keeps a date-time as written', () => {
    expect(Instant.parse('2026-12-01')).toBe('2026-12-01T00:00:00Z');
    expect(Instant.parse('2026-12-01T09:30:00.123456+02:00')).toBe('2026-12-01T09:30:00.123456+02:00');
  });

  it.each(['2026-12-01T09:30:00', '2026-02-30', '01/12/2026', 'now', ''])('refuses %j', (text) => {
    expect(Instant.safeParse(text).success).toBe(false);
  });
});
