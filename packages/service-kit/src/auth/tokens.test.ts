import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader, errors as joseErrors } from 'jose';
import { generateEd25519KeyPair, keyIdOf } from './keys.js';
import type { TokenVersions } from './token-versions.js';
import { createTokenSigner, createTokenVerifier, TokenRevoked, type Principal } from './tokens.js';

const settings = { issuer: 'shop', audience: 'shop-api' };
const keys = generateEd25519KeyPair();
/** Account versions as the store would answer them. */
const versions = new Map<string, number>();
const store: TokenVersions = { current: async (userId) => versions.get(userId) };
const signer = createTokenSigner({ ...settings, privateKey: keys.privateKey, ttlSeconds: 60 });
const verifier = createTokenVerifier({ ...settings, publicKey: keys.publicKey, versions: store });

const account = (role: Principal['role'] = 'shopper'): Principal => {
  const principal: Principal = { userId: randomUUID(), role, customerId: randomUUID(), tokenVersion: 0 };
  versions.set(principal.userId, 0);
  return principal;
};

describe('Ed25519 tokens', () => {
  it('verifies what it signed, back to the same principal', async () => {
    const principal = account();
    expect(await verifier.verify(await signer.issue(principal))).toEqual(principal);
  });

  it('signs with EdDSA and names the key by its thumbprint (kid)', async () => {
    const header = decodeProtectedHeader(await signer.issue(account()));
    expect(header).toEqual({ alg: 'EdDSA', kid: keyIdOf(keys.publicKey), typ: 'JWT' });
  });

  it('refuses a token once the account\'s version moved (logout, role change), even if its signature was seen before', async () => {
    const principal = account();
    const token = await signer.issue(principal);
    await verifier.verify(token);
    versions.set(principal.userId, 1);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenRevoked);
  });

  it('refuses the token of an account that no longer exists', async () => {
    const principal = account();
    const token = await signer.issue(principal);
    versions.delete(principal.userId);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenRevoked);
  });

  it('refuses a token naming another kid, even when signed with the right key', async () => {
    const other = createTokenSigner({ ...settings, privateKey: keys.privateKey, keyId: 'rotated-away', ttlSeconds: 60 });
    await expect(verifier.verify(await other.issue(account()))).rejects.toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
  });

  it('accepts a pinned kid (JWT_KEY_ID) when signer and verifier agree on it', async () => {
    const pinnedSigner = createTokenSigner({ ...settings, privateKey: keys.privateKey, keyId: 'shop-2026', ttlSeconds: 60 });
    const pinnedVerifier = createTokenVerifier({ ...settings, publicKey: keys.publicKey, keyId: 'shop-2026', versions: store });
    const principal = account('admin');
    expect(await pinnedVerifier.verify(await pinnedSigner.issue(principal))).toEqual(principal);
  });

  it('lets a database failure through as itself, not as a rejected token', async () => {
    const failing = createTokenVerifier({ ...settings, publicKey: keys.publicKey, versions: { current: () => Promise.reject(new Error('connection refused')) } });
    await expect(failing.verify(await signer.issue(account()))).rejects.toThrow('connection refused');
  });
});
