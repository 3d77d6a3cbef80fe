import { describe, expect, it } from '@jest/globals';
import { REFUNDED_ORDER } from '../testing/order-story.js';
import { AsOfText, eventsAsOf, replayOrderAsOf, type AsOf } from './order-as-of.js';

const { orderId, customerId, placed, stream } = REFUNDED_ORDER;
const now = new Date('2026-01-01T00:00:00.000Z');
const at = (iso: string): AsOf => ({ kind: 'time', at: new Date(iso) });

describe('AsOfText', () => {
  it('reads a positive integer as a stream version', () => {
    expect(AsOfText.parse('3')).toEqual({ kind: 'version', version: 3n });
  });

  it('reads an ISO 8601 date-time with Z or an offset as an instant', () => {
    expect(AsOfText.parse('2025-06-01T12:00:00+02:00')).toEqual({ kind: 'time', at: new Date('2025-06-01T10:00:00Z') });
    expect(AsOfText.parse('2025-06-01T10:00:00.123Z')).toEqual({ kind: 'time', at: new Date('2025-06-01T10:00:00.123Z') });
  });

  it.each(['0', '-2', '03', '1.5', '2025-06-01', '2025-06-01T10:00:00', 'now', ''])('refuses %j', (text) => {
    expect(AsOfText.safeParse(text).success).toBe(false);
  });
});

describe('eventsAsOf', () => {
  it('keeps the versions up to and including a version', () => {
    expect(eventsAsOf(stream, { kind: 'version', version: 2n }).map((e) => e.streamVersion)).toEqual([1n, 2n]);
    expect(eventsAsOf(stream, { kind: 'version', version: 99n })).toHaveLength(4);
  });

  it('keeps the versions recorded at or before a time', () => {
    expect(eventsAsOf(stream, at('2025-06-01T10:02:00.000Z')).map((e) => e.streamVersion)).toEqual([1n, 2n]);
    expect(eventsAsOf(stream, at('2025-06-01T10:01:59.999Z')).map((e) => e.streamVersion)).toEqual([1n]);
    expect(eventsAsOf(stream, at('2025-06-01T10:00:59.999Z'))).toEqual([]);
  });

  it('stops at the first version recorded after the time, even if a later one claims an earlier time', () => {
    const skewed = [stream[0]!, stream[1]!, { ...stream[2]!, recordedAt: new Date(Date.UTC(2025, 5, 1, 9)) }];
    expect(eventsAsOf(skewed, at('2025-06-01T10:01:30.000Z')).map((e) => e.streamVersion)).toEqual([1n]);
  });
});

describe('replayOrderAsOf', () => {
  it('tells each point of the order’s life with the domain’s status and the times the events carry', () => {
    expect(replayOrderAsOf(stream, { kind: 'version', version: 1n }, now)).toEqual({
      asOf: '1',
      version: 1,
      recordedAt: '2025-06-01T10:01:00.000Z',
      order: {
        id: orderId,
        customerId,
        status: 'placed',
        lines: placed.data.lines,
        currency: 'EUR',
        totalCents: 2500,
        shippingAddress: { line1: '1 Quay', city: 'Hamburg', postalCode: '20457', country: 'DE' },
        placedAt: '2025-06-01T10:00:00.000Z',
        paymentMethod: null,
        paidAt: null,
        shippedAt: null,
        cancelledAt: null,
        cancellationReason: null,
        refundedAt: null,
        version: 1,
      },
    });
    expect(replayOrderAsOf(stream, { kind: 'version', version: 3n }, now)?.order).toMatchObject({
      status: 'shipped',
      paymentMethod: 'paypal',
      paidAt: '2025-06-01T10:05:00.000Z',
      shippedAt: '2025-06-02T08:00:00.000Z',
      refundedAt: null,
    });
    expect(replayOrderAsOf(stream, { kind: 'now' }, now)).toMatchObject({ asOf: now.toISOString(), version: 4, order: { status: 'refunded' } });
  });

  it('names a time asOf by its instant in UTC', () => {
    expect(replayOrderAsOf(stream, at('2025-06-01T12:02:30+02:00'), now)).toMatchObject({ asOf: '2025-06-01T10:02:30.000Z', version: 2 });
  });

  it('answers nothing before the order was placed', () => {
    expect(replayOrderAsOf(stream, at('2025-06-01T10:00:00.000Z'), now)).toBeUndefined();
    expect(replayOrderAsOf([], { kind: 'now' }, now)).toBeUndefined();
  });

  it('refuses a stream that does not parse as order events rather than making an order up', () => {
    const corrupt = [{ ...stream[0]!, data: { ...stream[0]!.data, totalCents: 'lots' } }];
    expect(() => replayOrderAsOf(corrupt, { kind: 'now' }, now)).toThrow();
  });

  it('refuses a stream that does not start with OrderPlaced', () => {
    expect(() => replayOrderAsOf(stream.slice(1), { kind: 'now' }, now)).toThrow(/never placed/);
  });
});
