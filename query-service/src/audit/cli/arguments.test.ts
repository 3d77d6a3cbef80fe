import { describe, expect, it } from '@jest/globals';
import { parseAuditCommand } from './arguments.js';

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
