import { describe, expect, it } from '@jest/globals';
import { REFUNDED_ORDER } from '../testing/order-story.js';
import type { AsOf } from './order-as-of.js';
import { changedPaths, DiffFromText, diffOrder, type OrderDiffView } from './order-diff.js';

const { orderId, stream } = REFUNDED_ORDER;
const address = { line1: '1 Quay', city: 'Hamburg', postalCode: '20457', country: 'DE' };
const now = new Date('2026-01-01T00:00:00.000Z');
const version = (n: number): AsOf => ({ kind: 'version', version: BigInt(n) });
const by = (n: number) => ({
  eventId: `00000000-0000-4000-8000-00000000000${n}`,
  type: stream[n - 1]!.type,
  streamVersion: n,
  globalPosition: String(10 * n),
  recordedAt: stream[n - 1]!.recordedAt.toISOString(),
});
const diffOf = (from: AsOf, to: AsOf): OrderDiffView => {
  const answer = diffOrder(stream, from, to, now);
  if (answer.kind !== 'diff') throw new Error(`expected a diff, got ${answer.kind}`);
  return answer.diff;
};

describe('diffOrder', () => {
  it('names each field that changed between two versions, with both values and the event that changed it', () => {
    expect(diffOf(version(1), version(3))).toEqual({
      orderId,
      from: { asOf: '1', version: 1, recordedAt: '2025-06-01T10:01:00.000Z' },
      to: { asOf: '3', version: 3, recordedAt: '2025-06-01T10:03:00.000Z' },
      changes: [
        { field: 'status', oldValue: 'placed', newValue: 'shipped', event: by(3) },
        { field: 'paymentMethod', oldValue: null, newValue: 'paypal', event: by(2) },
        { field: 'paidAt', oldValue: null, newValue: '2025-06-01T10:05:00.000Z', event: by(2) },
        { field: 'shippedAt', oldValue: null, newValue: '2025-06-02T08:00:00.000Z', event: by(3) },
      ],
    });
  });

  it('diffs from before the order existed (version 0): every set field is new, set by OrderPlaced', () => {
    const diff = diffOf(version(0), version(1));
    expect(diff.from).toEqual({ asOf: '0', version: 0, recordedAt: null });
    expect(diff.changes.map((change) => change.field)).toEqual(['id', 'customerId', 'status', 'lines', 'currency', 'totalCents', 'shippingAddress', 'placedAt']);
    expect(diff.changes.find((change) => change.field === 'shippingAddress')).toEqual({ field: 'shippingAddress', oldValue: null, newValue: address, event: by(1) });
    expect(diff.changes.every((change) => change.event.type === 'OrderPlaced')).toBe(true);
  });

  it('reads points in time as the as-of reads do: the versions recorded at or before each instant', () => {
    const diff = diffOf({ kind: 'time', at: new Date('2025-06-01T10:02:30Z') }, { kind: 'now' });
    expect(diff.from).toMatchObject({ asOf: '2025-06-01T10:02:30.000Z', version: 2 });
    expect(diff.to).toEqual({ asOf: now.toISOString(), version: 4, recordedAt: '2025-06-01T10:04:00.000Z' });
    expect(diff.changes).toEqual([
      { field: 'status', oldValue: 'paid', newValue: 'refunded', event: by(4) },
      { field: 'shippedAt', oldValue: null, newValue: '2025-06-02T08:00:00.000Z', event: by(3) },
      { field: 'refundedAt', oldValue: null, newValue: '2025-06-09T12:00:00.000Z', event: by(4) },
    ]);
  });

  it('answers no changes between one point and itself', () => {
    expect(diffOf(version(2), { kind: 'time', at: new Date('2025-06-01T10:02:59.999Z') }).changes).toEqual([]);
  });

  it('answers not_found when the order did not exist yet at `to`', () => {
    expect(diffOrder(stream, version(0), { kind: 'time', at: new Date('2025-06-01T10:00:00Z') }, now)).toEqual({ kind: 'not_found' });
    expect(diffOrder([], version(0), { kind: 'now' }, now)).toEqual({ kind: 'not_found' });
  });

  it('answers reversed, with both versions, when `from` lies after `to`', () => {
    expect(diffOrder(stream, version(3), version(1), now)).toEqual({ kind: 'reversed', fromVersion: 3, toVersion: 1 });
  });
});

describe('changedPaths', () => {
  it('goes into objects present on both sides, and takes arrays and scalars whole', () => {
    expect(changedPaths({ a: { b: 1, c: 2 }, list: [1, 2], n: 1 }, { a: { b: 1, c: 3 }, list: [1, 3], n: 1 })).toEqual([['a', 'c'], ['list']]);
  });

  it('takes an object against null or absence as one value, and absence as null', () => {
    expect(changedPaths({ a: null, b: undefined }, { a: { x: 1 }, b: null })).toEqual([['a']]);
  });

  it('lists a field only one side has, and leaves out the top-level version', () => {
    expect(changedPaths({ version: 1, gone: 'x' }, { version: 2, added: 'y' })).toEqual([['added'], ['gone']]);
  });
});

describe('DiffFromText', () => {
  it('takes 0 (before the first event) as well as every asOf form', () => {
    expect(DiffFromText.parse('0')).toEqual({ kind: 'version', version: 0n });
    expect(DiffFromText.parse('2')).toEqual({ kind: 'version', version: 2n });
    expect(DiffFromText.parse('2025-06-01T10:00:00Z')).toEqual({ kind: 'time', at: new Date('2025-06-01T10:00:00Z') });
  });

  it.each(['00', '-1', 'yesterday', '2025-06-01'])('refuses %j', (text) => {
    expect(DiffFromText.safeParse(text).success).toBe(false);
  });
});
