import { describe, expect, it } from '@jest/globals';
import { formatEventLine, formatExportProgress, formatProgress, formatVerdict, parseAuditCommand } from './audit-cli.js';
import type { VerifyResultView } from './audit.views.js';

const orderId = '0b8f9c2e-4d1a-4e6b-9f3c-2a7d5e8b1c40';
const digest = 'ab'.repeat(32);

describe('parseAuditCommand', () => {
  it('reads verify with its options', () => {
    expect(parseAuditCommand(['verify'])).toEqual({ kind: 'verify' });
    expect(parseAuditCommand(['verify', '--anchor', `12:${digest}`, '--batch-size', '500', '--concurrency', '4'])).toEqual({
      kind: 'verify',
      anchor: { position: 12n, digest },
      batchSize: 500,
      concurrency: 4,
    });
  });

  it('reads stream and order commands', () => {
    expect(parseAuditCommand(['stream', 'sku-mug_1', '--json'])).toEqual({ kind: 'stream', streamId: 'sku-mug_1', json: true });
    expect(parseAuditCommand(['order', orderId.toUpperCase()])).toEqual({ kind: 'order', orderId, asOf: { kind: 'now' } });
    expect(parseAuditCommand(['order', orderId, '--as-of', '2'])).toEqual({ kind: 'order', orderId, asOf: { kind: 'version', version: 2n } });
    expect(parseAuditCommand(['order', orderId, '--as-of', '2025-06-01T10:00:00Z'])).toEqual({
      kind: 'order',
      orderId,
      asOf: { kind: 'time', at: new Date('2025-06-01T10:00:00Z') },
    });
  });

  it('reads keygen, anchor, export and verify with a signed anchor', () => {
    expect(parseAuditCommand(['keygen'])).toEqual({ kind: 'keygen', out: 'audit-anchor' });
    expect(parseAuditCommand(['keygen', '--out', '/keys/auditor'])).toEqual({ kind: 'keygen', out: '/keys/auditor' });
    expect(parseAuditCommand(['anchor'])).toEqual({ kind: 'anchor' });
    expect(parseAuditCommand(['anchor', '--sign', 'a.key', '--out', 'a.json', '--batch-size', '100'])).toEqual({
      kind: 'anchor',
      privateKeyFile: 'a.key',
      out: 'a.json',
      batchSize: 100,
    });
    expect(parseAuditCommand(['verify', '--anchor', 'a.json', '--public-key', 'a.pub', '--concurrency', '2'])).toEqual({
      kind: 'verify',
      signed: { anchorFile: 'a.json', publicKeyFile: 'a.pub' },
      concurrency: 2,
    });
    expect(parseAuditCommand(['export'])).toEqual({ kind: 'export', after: 0n });
    expect(parseAuditCommand(['export', '--after', '10', '--to', '10', '--out', 'x.ndjson'])).toEqual({ kind: 'export', after: 10n, to: 10n, out: 'x.ndjson' });
  });

  it('answers help for --help', () => {
    expect(parseAuditCommand(['--help'])).toEqual({ kind: 'help' });
    expect(parseAuditCommand(['verify', '-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], /No command/],
    [['frob'], /Unknown command frob/],
    [['verify', 'now'], /takes no arguments/],
    [['verify', '--json'], /verify takes no --json/],
    [['verify', '--anchor', '12'], /--anchor/],
    [['verify', '--batch-size', '0'], /--batch-size/],
    [['verify', '--unknown'], /Unknown option/],
    [['stream'], /stream id/],
    [['stream', 'Order-1'], /stream id/],
    [['stream', 'order-1', 'extra'], /Unexpected arguments: extra/],
    [['order', 'not-a-uuid'], /order id/],
    [['order', orderId, '--as-of', 'yesterday'], /--as-of/],
    [['order', orderId, '--as-of'], /argument missing/],
    [['verify', '--public-key', 'k.pub'], /give the file with --anchor/],
    [['verify', '--anchor', 'a.json', '--public-key', ''], /--public-key/],
    [['verify', '--anchor', 'a.json', '--public-key', 'k.pub', '--sign', 'k'], /verify takes no --sign/],
    [['verify', '--anchor', 'a.json'], /--anchor/],
    [['keygen', 'mine'], /keygen takes no arguments/],
    [['keygen', '--sign', 'k'], /keygen takes no --sign/],
    [['anchor', '--out', 'a.json'], /--out writes a signed anchor document/],
    [['anchor', '--public-key', 'k.pub'], /anchor takes no --public-key/],
    [['anchor', '--sign'], /argument missing/],
    [['export', '--after', '-1'], /--after/],
    [['export', '--to', 'x'], /--to/],
    [['export', '--after', '10', '--to', '9'], /--to \(9\) is below --after \(10\)/],
    [['export', 'now'], /export takes no arguments/],
    [['export', '--sign', 'k'], /export takes no --sign/],
    [['stream', 'order-1', '--out', 'x'], /stream takes no --out/],
  ])('explains %j as bad usage', (argv, message) => {
    const command = parseAuditCommand(argv);
    expect(command.kind).toBe('usage');
    expect(command.kind === 'usage' && command.error).toMatch(message);
  });
});

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
