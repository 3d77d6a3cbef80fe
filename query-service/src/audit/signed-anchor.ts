import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { LogAnchor } from '@shop/kernel';

/**
 * Signed log anchors. An anchor (position + digest, see LogAnchor) only proves anything when it is kept where whoever
 * can rewrite the log cannot rewrite it too. A signature by a key only the auditor holds makes the anchor file itself
 * tamper-evident, so it can be stored anywhere (a ticket, a share, the repository) and still be trusted: whoever
 * checks it needs only the public key. Ed25519 via node:crypto: deterministic signatures, small keys, no parameters
 * to get wrong. Pure apart from key generation's randomness; reading and writing the files is cli/verify-commands.ts.
 */

export const SIGNED_ANCHOR_TYPE = 'shop-audit-anchor';

const Base64Url = (length: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${length}}$`), `${length} base64url characters`);

/** The document `npm run audit -- anchor --sign` writes. Strict: an unknown field is a different document. */
export const SignedAnchorDocument = z.strictObject({
  type: z.literal(SIGNED_ANCHOR_TYPE),
  version: z.literal(1),
  position: z.string().regex(/^\d{1,19}$/, 'a decimal global position'),
  digest: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits'),
  /** When the anchor was taken and signed (the verification that computed it had just finished). */
  time: z.iso.datetime({ offset: false }),
  algorithm: z.literal('Ed25519'),
  /** RFC 7638 JWK thumbprint of the signing key's public half. */
  keyId: Base64Url(43),
  /** Ed25519 signature (64 bytes) over signedBytes(...), base64url. */
  signature: Base64Url(86),
});
export type SignedAnchorDocument = z.infer<typeof SignedAnchorDocument>;

type Unsigned = Omit<SignedAnchorDocument, 'signature' | 'algorithm' | 'type' | 'version'>;

/**
 * What is signed: every field but the signature, in a fixed order, one per line, under a domain-separating first
 * line. Not JSON, so no canonicalisation question arises; every field is regex-checked before this runs, so no field
 * can contain a newline and shift another.
 */
export const signedBytes = (anchor: Unsigned): Buffer =>
  Buffer.from(`${SIGNED_ANCHOR_TYPE}/1\nposition=${anchor.position}\ndigest=${anchor.digest}\ntime=${anchor.time}\nkeyId=${anchor.keyId}\n`, 'utf8');

export class AnchorKeyError extends Error {
  override readonly name = 'AnchorKeyError';
}

const BASE64_DER = /^[A-Za-z0-9+/=\s]+$/;

/**
 * A key from a file's text: PEM (PKCS#8 private, SPKI public), or one line of base64 DER (as the JWT keys are given,
 * so both kinds of key file look alike). Anything but an Ed25519 key is refused.
 */
export function parseAnchorKey(text: string, kind: 'private' | 'public'): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    if (kind === 'public' && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) {
      // node would derive the public half and carry on; but a private key passed around to checkers is a leak.
      throw new AnchorKeyError('this is a private key: give the public one (the .pub file keygen wrote)');
    }
    if (trimmed.includes('-----BEGIN')) {
      key = kind === 'private' ? createPrivateKey(trimmed) : createPublicKey(trimmed);
    } else if (trimmed.length > 0 && BASE64_DER.test(trimmed)) {
      const der = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64');
      key = kind === 'private' ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) : createPublicKey({ key: der, format: 'der', type: 'spki' });
    } else {
      throw new AnchorKeyError(`not a ${kind} key: expected PEM or one line of base64 DER`);
    }
  } catch (error) {
    if (error instanceof AnchorKeyError) throw error;
    throw new AnchorKeyError(`not a readable ${kind} key (${kind === 'private' ? 'PKCS#8' : 'SPKI'} PEM or base64 DER expected)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AnchorKeyError(`not an Ed25519 key (it is ${key.asymmetricKeyType ?? 'unknown'})`);
  return key;
}

/** RFC 7638 thumbprint of an Ed25519 key (private or public): the same id wherever the key is used. */
export function anchorKeyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const { x } = publicKey.export({ format: 'jwk' });
  // Members in lexicographic order, no whitespace: the RFC's canonical form.
  return createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
}

export interface AnchorKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

export function generateAnchorKeyPair(): AnchorKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: anchorKeyId(publicKey),
  };
}

export function signAnchor(anchor: LogAnchor, time: Date, privateKey: KeyObject): SignedAnchorDocument {
  const unsigned: Unsigned = { position: anchor.position.toString(), digest: anchor.digest.toLowerCase(), time: time.toISOString(), keyId: anchorKeyId(privateKey) };
  return {
    type: SIGNED_ANCHOR_TYPE,
    version: 1,
    ...unsigned,
    algorithm: 'Ed25519',
    signature: sign(null, signedBytes(unsigned), privateKey).toString('base64url'),
  };
}

export type SignedAnchorCheck =
  | { ok: true; anchor: LogAnchor; time: string; keyId: string }
  | { ok: false; reason: 'not_a_signed_anchor' | 'wrong_key' | 'bad_signature'; detail: string };

/**
 * Checks a signed anchor document (already parsed from JSON) against the auditor's public key. Only a valid
 * signature by that very key yields the anchor; a document altered in any field, or signed by another key, does not.
 */
export function checkSignedAnchor(document: unknown, publicKey: KeyObject): SignedAnchorCheck {
  const parsed = SignedAnchorDocument.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`).join('; ');
    return { ok: false, reason: 'not_a_signed_anchor', detail: `not a signed anchor document: ${issues}` };
  }
  const doc = parsed.data;
  const keyId = anchorKeyId(publicKey);
  if (doc.keyId !== keyId) {
    return { ok: false, reason: 'wrong_key', detail: `the anchor names signing key ${doc.keyId}, but the public key given is ${keyId}` };
  }
  const valid = verify(null, signedBytes(doc), publicKey, Buffer.from(doc.signature, 'base64url'));
  if (!valid) {
    return { ok: false, reason: 'bad_signature', detail: `the signature does not match the anchor's contents under key ${keyId}: the anchor was altered or not signed by this key` };
  }
  return { ok: true, anchor: { position: BigInt(doc.position), digest: doc.digest }, time: doc.time, keyId };
}
