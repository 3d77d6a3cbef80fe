import { describe, expect, it } from '@jest/globals';
import type { BrokenLink, RecordedEvent } from '@shop/kernel';
import { AnchorText, PositionText, StreamIdText } from './audit.params.js';
import { describeBrokenLink, toAuditEvent, toEventPage, toVerifyResultView } from './audit.views.js';

const event = (version: number, extra: Record<string, unknown> = {}): RecordedEvent =>
  ({
    eventId: `00000000-0000-4000-8000-00000000000${version}`,
    streamId: 'order-x',
    streamVersion: BigInt(version),
    globalPosition: BigInt(100 + version),
    type: 'OrderPaid',
    schemaVersion: 1,
    data: { n: version },
    metadata: { correlationId: 'c', causationId: 'k', actor: { userId: 'u', role: 'shopper', secret: 'leak' } },
    recordedAt: new Date('2025-06-01T10:00:00.000Z'),
    hash: 'ab'.repeat(32),
    ...extra,
  }) as RecordedEvent;

const link = (overrides: Partial<BrokenLink>): BrokenLink => ({
  reason: 'hash_mismatch',
  streamId: 'order-x',
  streamVersion: 3n,
  globalPosition: 17n,
  eventId: 'e',
  expectedHash: 'aa'.repeat(32),
  actualHash: 'bb'.repeat(32),
  previousVersion: 2n,
  previousPosition: 12n,
  priorPosition: 16n,
  headVersion: 5n,
  ...overrides,
});

describe('toAuditEvent', () => {
  it('answers the documented envelope only, with the position as a decimal string', () => {
    expect(toAuditEvent(event(1, { upcastFrom: 0 }))).toEqual({
      eventId: '00000000-0000-4000-8000-000000000001',
      streamId: 'order-x',
      streamVersion: 1,
      globalPosition: '101',
      type: 'OrderPaid',
      schemaVersion: 1,
      data: { n: 1 },
      metadata: { correlationId: 'c', causationId: 'k', actor: { userId: 'u', role: 'shopper' } },
      recordedAt: '2025-06-01T10:00:00.000Z',
      hash: 'ab'.repeat(32),
    });
  });
});

describe('toEventPage', () => {
  it('keeps `limit` events and points the cursor at the last one when the read found one more', () => {
    const page = toEventPage([event(1), event(2), event(3)], 2, (e) => e.streamVersion);
    expect(page.items.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(page.nextCursor).toBe('2');
  });

  it('answers a null cursor when the read found no more than `limit`', () => {
    expect(toEventPage([event(1), event(2)], 2, (e) => e.globalPosition).nextCursor).toBeNull();
    expect(toEventPage([], 2, (e) => e.globalPosition)).toEqual({ items: [], nextCursor: null });
  });
});

describe('describeBrokenLink', () => {
  it.each<[Partial<BrokenLink>, RegExp]>([
    [{ reason: 'position_gap', priorPosition: 14n }, /Global positions 15–16 are missing/],
    [{ reason: 'position_gap', priorPosition: 15n }, /Global position 16 is missing/],
    [{ reason: 'duplicate_version', previousPosition: 40n }, /also has version 3 \(at global position 40\)/],
    [{ reason: 'version_gap', previousVersion: 1n }, /previous stored event of order-x is version 1, not 2/],
    [{ reason: 'version_gap', previousVersion: null }, /no stored event before version 3/],
    [{ reason: 'out_of_order', previousPosition: 30n }, /Version 2 of order-x sits later in the global log \(position 30\)/],
    [{ reason: 'hash_mismatch' }, /hash of version 2/],
    [{ reason: 'hash_mismatch', streamVersion: 1n, previousVersion: null }, /32 zero bytes/],
    [{ reason: 'head_mismatch', headVersion: null }, /no stream head/],
    [{ reason: 'head_mismatch', headVersion: 2n }, /says version 2: this event is past it/],
    [{ reason: 'head_mismatch', headVersion: 3n }, /records another last hash/],
    [{ reason: 'head_missing', headVersion: 3n, previousVersion: 2n }, /says version 3, but the last stored event is version 2/],
    [{ reason: 'head_missing', headVersion: 3n, previousVersion: null }, /no event of the stream is stored/],
  ])('says what %o means', (overrides, sentence) => {
    expect(describeBrokenLink(link(overrides))).toMatch(sentence);
  });
});

describe('toVerifyResultView', () => {
  it('answers positions as strings and the first broken link with its sentence', () => {
    const view = toVerifyResultView({
      ok: false,
      eventsChecked: 20,
      throughPosition: 20n,
      brokenLinks: 1,
      firstBroken: link({ reason: 'head_missing', globalPosition: null, eventId: null, actualHash: null, previousVersion: 2n }),
      anchor: { position: 20n, digest: 'cc'.repeat(32) },
      anchorCheck: { position: 10n, expected: 'dd'.repeat(32), actual: null, matches: false },
    });
    expect(view).toEqual({
      ok: false,
      eventsChecked: 20,
      throughPosition: '20',
      brokenLinks: 1,
      firstBroken: {
        reason: 'head_missing',
        streamId: 'order-x',
        streamVersion: 3,
        globalPosition: null,
        eventId: null,
        expectedHash: 'aa'.repeat(32),
        actualHash: null,
        detail: expect.stringContaining('events were deleted from its end'),
      },
      anchor: { position: '20', digest: 'cc'.repeat(32) },
      anchorCheck: { position: '10', expected: 'dd'.repeat(32), actual: null, matches: false },
    });
  });
});

describe('audit parameters', () => {
  it('reads positions below 2^63 − 1 and refuses the rest', () => {
    expect(PositionText.parse('0')).toBe(0n);
    expect(PositionText.parse('9223372036854775806')).toBe(9_223_372_036_854_775_806n);
    for (const text of ['9223372036854775807', '-1', '1e3', '', ' 1']) expect(PositionText.safeParse(text).success).toBe(false);
  });

  it('reads UUID and SKU stream ids, lower case only', () => {
    for (const id of ['order-0b8f9c2e-4d1a-4e6b-9f3c-2a7d5e8b1c40', 'sku-mug_1.blue']) expect(StreamIdText.safeParse(id).success).toBe(true);
    for (const id of ['Order-1', 'order-', '-x', 'order x', `order-${'a'.repeat(130)}`]) expect(StreamIdText.safeParse(id).success).toBe(false);
  });

  it('reads an anchor as a verification prints it, digest in lower case', () => {
    expect(AnchorText.parse(`12:${'AB'.repeat(32)}`)).toEqual({ position: 12n, digest: 'ab'.repeat(32) });
    for (const text of ['12', `12:${'a'.repeat(63)}`, `x:${'a'.repeat(64)}`]) expect(AnchorText.safeParse(text).success).toBe(false);
  });
});
