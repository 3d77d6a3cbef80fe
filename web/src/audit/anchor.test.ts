import { describe, expect, it } from '@jest/globals';
import type { VerifyResult } from '@shop/client';
import { anchorOfSignedFile, parseAnchorText, verdictOf } from './anchor';

const DIGEST = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);

describe('parseAnchorText', () => {
  it('takes position:digest, trimmed, the digest in lower case', () => {
    expect(parseAnchorText(` 42:${DIGEST.toUpperCase()} `)).toEqual({ anchor: `42:${DIGEST}` });
  });

  it('reads an empty field as no anchor', () => {
    expect(parseAnchorText('  ')).toEqual({ anchor: undefined });
  });

  it('refuses what the API would refuse', () => {
    expect(parseAnchorText(`x:${DIGEST}`)).toEqual({ error: expect.any(String) });
    expect(parseAnchorText(`42:${DIGEST.slice(1)}`)).toEqual({ error: expect.any(String) });
    expect(parseAnchorText(`42 ${DIGEST}`)).toEqual({ error: expect.any(String) });
  });
});

describe('anchorOfSignedFile', () => {
  const file = { type: 'shop-audit-anchor', version: 1, position: '18342', digest: DIGEST, time: '2026-11-24T10:00:00.000Z', algorithm: 'Ed25519', keyId: 'k', signature: 's' };

  it('takes the position and digest of a signed anchor document', () => {
    expect(anchorOfSignedFile(JSON.stringify(file))).toEqual({ anchor: `18342:${DIGEST}`, time: '2026-11-24T10:00:00.000Z' });
  });

  it('refuses text that is not JSON, and JSON that is not a signed anchor', () => {
    expect(anchorOfSignedFile('18342:abc')).toEqual({ error: expect.stringMatching(/not JSON/) });
    expect(anchorOfSignedFile(JSON.stringify({ ...file, type: 'something-else' }))).toEqual({ error: expect.stringMatching(/not a signed anchor/) });
    expect(anchorOfSignedFile(JSON.stringify({ ...file, digest: 'short' }))).toEqual({ error: expect.any(String) });
  });
});

describe('verdictOf', () => {
  const intact: VerifyResult = { ok: true, eventsChecked: 9, throughPosition: '9', brokenLinks: 0, anchor: { position: '9', digest: DIGEST } };
  const link = { reason: 'hash_mismatch', streamId: 'order-1', streamVersion: 2, globalPosition: '5', eventId: 'e', expectedHash: DIGEST, actualHash: OTHER, detail: '' } as const;

  it('is intact when every chain holds and the anchor matches', () => {
    expect(verdictOf({ ...intact, anchorCheck: { position: '4', expected: DIGEST, actual: DIGEST, matches: true } })).toEqual({ kind: 'intact' });
  });

  it('names the first bad position of a broken chain, and whether the anchor differs too', () => {
    expect(verdictOf({ ...intact, ok: false, brokenLinks: 2, firstBroken: link })).toEqual({ kind: 'broken', firstBadPosition: '5', anchorDiffers: false });
    expect(verdictOf({ ...intact, ok: false, brokenLinks: 1, firstBroken: link, anchorCheck: { position: '4', expected: DIGEST, actual: OTHER, matches: false } })).toEqual({
      kind: 'broken',
      firstBadPosition: '5',
      anchorDiffers: true,
    });
  });

  it('catches a rewrite every chain survived: the anchor no longer matches', () => {
    expect(verdictOf({ ...intact, ok: false, anchorCheck: { position: '4', expected: DIGEST, actual: OTHER, matches: false } })).toEqual({ kind: 'anchor_differs', position: '4' });
  });
});
