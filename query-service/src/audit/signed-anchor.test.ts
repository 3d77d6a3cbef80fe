import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { AnchorKeyError, anchorKeyId, checkSignedAnchor, generateAnchorKeyPair, parseAnchorKey, signAnchor, type SignedAnchorDocument } from './signed-anchor.js';

const pair = generateAnchorKeyPair();
const privateKey = parseAnchorKey(pair.privateKeyPem, 'private');
const publicKey = parseAnchorKey(pair.publicKeyPem, 'public');
const anchor = { position: 1234n, digest: 'ab'.repeat(32) };
const time = new Date('2026-12-03T09:00:00.000Z');
const signed = signAnchor(anchor, time, privateKey);

describe('signAnchor', () => {
  it('writes position, digest, time, key id and an Ed25519 signature', () => {
    expect(signed).toEqual({
      type: 'shop-audit-anchor',
      version: 1,
      position: '1234',
      digest: 'ab'.repeat(32),
      time: '2026-12-03T09:00:00.000Z',
      algorithm: 'Ed25519',
      keyId: pair.keyId,
      signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
    });
  });

  it('lower-cases the digest, so one anchor has one signed form', () => {
    expect(signAnchor({ ...anchor, digest: 'AB'.repeat(32) }, time, privateKey)).toEqual(signed);
  });
});

describe('checkSignedAnchor', () => {
  it('accepts the document with the signer’s public key and answers its anchor', () => {
    expect(checkSignedAnchor(JSON.parse(JSON.stringify(signed)), publicKey)).toEqual({ ok: true, anchor, time: signed.time, keyId: pair.keyId });
  });

  it.each<[string, Partial<SignedAnchorDocument>]>([
    ['an earlier position', { position: '1233' }],
    ['another digest', { digest: 'cd'.repeat(32) }],
    ['another time', { time: '2026-12-03T09:00:00.001Z' }],
  ])('refuses a document altered to %s as a bad signature', (_what, change) => {
    expect(checkSignedAnchor({ ...signed, ...change }, publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a signature altered by one bit', () => {
    const bytes = Buffer.from(signed.signature, 'base64url');
    bytes[10]! ^= 1;
    expect(checkSignedAnchor({ ...signed, signature: bytes.toString('base64url') }, publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses the document under another public key, naming both key ids', () => {
    const other = generateAnchorKeyPair();
    const answer = checkSignedAnchor(signed, parseAnchorKey(other.publicKeyPem, 'public'));
    expect(answer).toMatchObject({ ok: false, reason: 'wrong_key' });
    expect(answer.ok === false && answer.detail).toContain(other.keyId);
  });

  it('refuses a document whose key id was swapped to the checker’s key: the signature then fails', () => {
    const other = generateAnchorKeyPair();
    const forged = signAnchor(anchor, time, parseAnchorKey(other.privateKeyPem, 'private'));
    expect(checkSignedAnchor({ ...forged, keyId: pair.keyId }, publicKey)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it.each<[string, unknown]>([
    ['a plain anchor string', `1234:${'ab'.repeat(32)}`],
    ['a document without its signature', { ...signed, signature: undefined }],
    ['a document with an extra field', { ...signed, note: 'trust me' }],
    ['another algorithm', { ...signed, algorithm: 'HS256' }],
    ['a digest with a newline', { ...signed, digest: `${'ab'.repeat(31)}\nab` }],
  ])('refuses %s as not a signed anchor', (_what, document) => {
    expect(checkSignedAnchor(document, publicKey)).toMatchObject({ ok: false, reason: 'not_a_signed_anchor' });
  });
});

describe('parseAnchorKey and anchorKeyId', () => {
  it('reads one line of base64 DER as well as PEM, to the same key id', () => {
    const { privateKey: pk, publicKey: pub } = generateKeyPairSync('ed25519');
    const privateDer = pk.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const publicDer = pub.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(anchorKeyId(parseAnchorKey(privateDer, 'private'))).toBe(anchorKeyId(pub));
    expect(anchorKeyId(parseAnchorKey(`${publicDer}\n`, 'public'))).toBe(anchorKeyId(pub));
  });

  it('computes the RFC 7638 thumbprint (the RFC 8037 example key)', () => {
    // RFC 8037 appendix A.3: the thumbprint of its Ed25519 example key.
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }, format: 'jwk' });
    expect(anchorKeyId(key)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it.each<[string, string, 'private' | 'public']>([
    ['an empty file', '', 'public'],
    ['words', 'not a key at all', 'public'],
    ['a public key where a private one is needed', pair.publicKeyPem, 'private'],
    ['a private key where the public one is needed', pair.privateKeyPem, 'public'],
    ['an RSA key', generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'public'],
    ['base64 that is no DER key', Buffer.from('hello').toString('base64'), 'public'],
  ])('refuses %s with an AnchorKeyError', (_what, text, kind) => {
    expect(() => parseAnchorKey(text, kind)).toThrow(AnchorKeyError);
  });
});
