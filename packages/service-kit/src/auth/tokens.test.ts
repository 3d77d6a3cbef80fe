import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { base64url, decodeProtectedHeader, errors as joseErrors, SignJWT, type JWTHeaderParameters } from 'jose';
import { ZodError } from 'zod';
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

describe('what a token must be', () => {
  const ourKid = keyIdOf(keys.publicKey);
  const seconds = (ms: number): number => Math.floor(ms / 1000);

  /** Our claims for a fresh account (iat now, exp in a minute), changed by `claims`; `undefined` leaves one out. */
  const claimsWith = (claims: Record<string, unknown>): Record<string, unknown> => {
    const principal = account();
    const mine = { sub: principal.userId, role: principal.role, ver: 0, iss: 'shop', aud: 'shop-api', iat: seconds(Date.now()), exp: seconds(Date.now()) + 60 };
    return Object.fromEntries(Object.entries({ ...mine, ...claims }).filter(([, value]) => value !== undefined));
  };
  /** A token signed with `key` (ours by default) under an EdDSA header naming our kid, both changeable. */
  const forge = (claims: Record<string, unknown> = {}, header: Partial<JWTHeaderParameters> = {}, key: KeyObject | Uint8Array = keys.privateKey): Promise<string> =>
    new SignJWT(claimsWith(claims)).setProtectedHeader({ alg: 'EdDSA', kid: ourKid, ...header }).sign(key);

  /** Only `Date` is faked (jose reads the time from it); timers and promises run as usual. */
  const atTime = (ms: number): void => {
    jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    jest.setSystemTime(ms);
  };
  afterEach(() => {
    jest.useRealTimers();
  });

  it('accepts a token we could have signed, forged here the same way (so every refusal below is for its one change)', async () => {
    await expect(verifier.verify(await forge())).resolves.toMatchObject({ role: 'shopper', tokenVersion: 0 });
  });

  it('refuses a token whose exp has passed', async () => {
    await expect(verifier.verify(await forge({ exp: seconds(Date.now()) - 1 }))).rejects.toBeInstanceOf(joseErrors.JWTExpired);
  });

  it('accepts a token until the second before its exp and refuses it from that second on: no clock skew is allowed', async () => {
    const issuedAt = Date.UTC(2026, 0, 1, 12, 0, 0);
    atTime(issuedAt);
    const token = await signer.issue(account()); // exp = issued + 60 s
    const fresh = createTokenVerifier({ ...settings, publicKey: keys.publicKey, versions: store });
    atTime(issuedAt + 59_999);
    await expect(fresh.verify(token)).resolves.toBeDefined();
    const late = createTokenVerifier({ ...settings, publicKey: keys.publicKey, versions: store });
    atTime(issuedAt + 60_000);
    await expect(late.verify(token)).rejects.toBeInstanceOf(joseErrors.JWTExpired);
  });

  it('does not let a remembered signature outlive the token: a token verified once is refused after its exp', async () => {
    const issuedAt = Date.UTC(2026, 0, 1, 12, 0, 0);
    atTime(issuedAt);
    // Shorter-lived than the minute a verified signature is remembered for.
    const token = await createTokenSigner({ ...settings, privateKey: keys.privateKey, ttlSeconds: 20 }).issue(account());
    const remembering = createTokenVerifier({ ...settings, publicKey: keys.publicKey, versions: store });
    await remembering.verify(token);
    atTime(issuedAt + 20_000);
    await expect(remembering.verify(token)).rejects.toBeInstanceOf(joseErrors.JWTExpired);
  });

  it.each([
    ['another issuer', { iss: 'shop-elsewhere' }],
    ['another audience', { aud: 'shop-admin-api' }],
    ['no exp (it would never expire)', { exp: undefined }],
    ['no iat', { iat: undefined }],
    ['no sub', { sub: undefined }],
  ])('refuses a token with %s', async (_, claims) => {
    await expect(verifier.verify(await forge(claims))).rejects.toBeInstanceOf(joseErrors.JWTClaimValidationFailed);
  });

  it.each([
    ['a role we do not have', { role: 'root' }],
    ['a sub that is not a uuid', { sub: 'admin' }],
    ['a version that is not a whole number', { ver: 0.5 }],
  ])('refuses a well-signed token with %s', async (_, claims) => {
    await expect(verifier.verify(await forge(claims))).rejects.toBeInstanceOf(ZodError);
  });

  it('refuses alg none and HS256 keyed with our public key: only EdDSA is verified', async () => {
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', kid: ourKid }))}.${base64url.encode(JSON.stringify(claimsWith({})))}.`;
    const hmac = await forge({}, { alg: 'HS256' }, new Uint8Array(keys.publicKey.export({ format: 'der', type: 'spki' })));
    for (const token of [unsigned, hmac]) await expect(verifier.verify(token)).rejects.toBeInstanceOf(joseErrors.JOSEAlgNotAllowed);
  });

  it('refuses a token naming no kid', async () => {
    await expect(verifier.verify(await forge({}, { kid: undefined }))).rejects.toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
  });

  it('refuses a token signed by another Ed25519 key under our kid', async () => {
    const token = await forge({}, {}, generateKeyPairSync('ed25519').privateKey);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(joseErrors.JWSSignatureVerificationFailed);
  });
});
