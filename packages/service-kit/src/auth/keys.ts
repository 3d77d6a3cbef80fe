import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * Ed25519 key material for tokens. A key arrives as PEM or as ONE line of base64 DER (PKCS#8 for the private key,
 * SPKI for the public one), so that it fits a compose `.env` file:
 *   openssl genpkey -algorithm ed25519 -outform DER | base64 -w0                       (JWT_PRIVATE_KEY)
 *   openssl pkey -inform DER -pubout -outform DER | base64 -w0   < that key, decoded  (JWT_PUBLIC_KEY)
 */

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A `.env` file or a YAML scalar often carries a PEM with literal `\n`: those are line breaks. */
const unescapePem = (text: string): string => text.replace(/\\n/g, '\n');

function derOf(text: string, what: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw new Error(`${what} is neither PEM nor one line of base64 DER`);
  return Buffer.from(compact, 'base64');
}

function assertEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${what} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key, not Ed25519`);
  return key;
}

/** How to make a key of one kind from either form of text. */
interface KeyReader {
  pem(pem: string): KeyObject;
  der(der: Buffer): KeyObject;
}

/** Reads `text` as PEM or as base64 DER, then insists on Ed25519; any failure says which key (`what`) and why. */
function readEd25519Key(text: string, what: string, reader: KeyReader): KeyObject {
  const trimmed = text.trim();
  try {
    const key = trimmed.includes('-----BEGIN') ? reader.pem(unescapePem(trimmed)) : reader.der(derOf(trimmed, what));
    return assertEd25519(key, what);
  } catch (error) {
    throw new Error(`${what} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

/** The private (signing) key: PKCS#8 PEM or base64 DER. */
export function parseEd25519PrivateKey(text: string): KeyObject {
  return readEd25519Key(text, 'the private key', {
    pem: (pem) => createPrivateKey({ key: pem, format: 'pem' }),
    der: (der) => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
  });
}

/** True when `der` is a PKCS#8 private key (a likely mix-up of the two settings). */
function isPrivateDer(der: Buffer): boolean {
  try {
    createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return true;
  } catch {
    return false;
  }
}

const PRIVATE_KEY_GIVEN = 'it is a private key; give the public key only';

/**
 * The public (verifying) key: SPKI PEM or base64 DER. A private key is refused here even though Node could derive
 * the public key from it: the point of the split is that the verifying service never holds the signing key.
 */
export function parseEd25519PublicKey(text: string): KeyObject {
  return readEd25519Key(text, 'the public key', {
    pem: (pem) => {
      if (pem.includes('PRIVATE KEY')) throw new Error(PRIVATE_KEY_GIVEN);
      return createPublicKey({ key: pem, format: 'pem' });
    },
    der: (der) => {
      if (isPrivateDer(der)) throw new Error(PRIVATE_KEY_GIVEN);
      return createPublicKey({ key: der, format: 'der', type: 'spki' });
    },
  });
}

/** One line of base64 DER (PKCS#8 or SPKI), the form the settings take. */
export const keyText = (key: KeyObject): string =>
  key.export(key.type === 'private' ? { format: 'der', type: 'pkcs8' } : { format: 'der', type: 'spki' }).toString('base64');

/** The RFC 7638 thumbprint of an Ed25519 public key: the default `kid`, stable for a key and different between keys. */
export function keyIdOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  // Members in lexicographic order, no whitespace (RFC 7638 §3).
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}

export interface Ed25519KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A fresh key pair (the stack's development keys, tests, benchmarks: nothing is ever committed). */
export function generateEd25519KeyPair(): Ed25519KeyPair {
  return generateKeyPairSync('ed25519');
}
