import { describe, expect, it } from '@jest/globals';
import type { VerifyResultView } from '../audit.views.js';
import { formatEventLine, formatExportProgress, formatProgress, formatVerdict } from './terminal-lines.js';

const digest = 'ab'.repeat(32);

describe('formatting', () => {
  const clean: VerifyResultView = { ok: true, eventsChecked: 1234, throughPosition: '1234', brokenLinks: 0, anchor: { position: '1234', digest } };

  it('says what a clean verification proved and prints the anchor to keep', () => {
    expect(formatVerdict(clean)).toEqual([
      'OK: every hash chain holds: 1,234 events through position 1234',
      `anchor: 1234:${digest}  (keep it outside the database; check it later with verify --anchor 1234:${digest})`,
    ]);
  });

  it('names the first broken link with both hashes, and an anchor mismatch', () => {
    const lines = formatVerdict({
      ...clean,
      ok: false,
      brokenLinks: 2,
      firstBroken: {
        reason: 'hash_mismatch',
        streamId: 'order-x',
        streamVersion: 2,
        globalPosition: '7',
        eventId: 'e-1',
        expectedHash: 'cc'.repeat(32),
        actualHash: 'dd'.repeat(32),
        detail: 'The stored hash is not …',
      },
      anchorCheck: { position: '5', expected: digest, actual: null, matches: false },
    });
    expect(lines.slice(0, 6)).toEqual([
      'BROKEN: 2 broken links in 1,234 events through position 1234',
      'first broken link: hash_mismatch at order-x version 2, global position 7, event e-1',
      `  expected hash ${'cc'.repeat(32)}`,
      `  actual hash   ${'dd'.repeat(32)}`,
      '  The stored hash is not …',
      `ANCHOR MISMATCH at position 5: expected ${digest}, the log has no such position any more`,
    ]);
  });

  it('prints a progress line with the rate so far', () => {
    expect(formatProgress({ eventsChecked: 50_000, position: 50_000n, throughPosition: 100_000n, brokenLinks: 0 }, 500)).toBe(
      'checked 50,000 events through position 50000 of 100000 (none broken, 100,000 events/s)',
    );
  });

  it('prints one line per event with version, position, time, type, hash, actor and data', () => {
    const line = formatEventLine({
      eventId: 'e',
      streamId: 'order-x',
      streamVersion: 3,
      globalPosition: '42',
      type: 'OrderPaid',
      schemaVersion: 1,
      data: { method: 'card' },
      metadata: { correlationId: 'c', causationId: 'k', actor: { system: 'relay' } },
      recordedAt: '2025-06-01T10:00:00.000Z',
      hash: digest,
    });
    expect(line).toBe(`v3  @42  2025-06-01T10:00:00.000Z  OrderPaid/1  hash ${digest}  actor {"system":"relay"}  correlation c  {"method":"card"}`);
  });
});

describe('formatExportProgress', () => {
  it('says how many events went out, through which position of the range, and how fast', () => {
    expect(formatExportProgress({ exported: 2500, position: 2600n, range: { after: 100n, to: 5100n } }, 500)).toBe(
      'exported 2,500 events through position 2600 of 5100 (5,000 events/s)',
    );
  });
});
