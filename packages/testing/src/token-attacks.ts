import type { KeyObject } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { base64url, SignJWT } from 'jose';

/** What a service under attack trusts: its key pair (the private half to forge "almost right" tokens) and its claims. */
export interface AttackedService {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  issuer: string;
  audience: string;
}

/** The account a forged token speaks for: a real one, so that only the attack itself can make the token fail. */
export interface AttackVictim {
  userId: string;
  role: string;
  customerId?: string;
  tokenVersion: number;
}

const now = (): number => Math.floor(Date.now() / 1000);

/**
 * Tokens an attacker could present, each wrong in exactly one way (issue 14 §8): every one must answer 401. The
 * revoked ones (after logout, after a role change) need the service's own state and are made by the tests.
 */
export async function attackTokens(service: AttackedService, victim: AttackVictim): Promise<Record<string, string>> {
  const claims = { role: victim.role, ver: victim.tokenVersion, ...(victim.customerId ? { cid: victim.customerId } : {}) };
  const signed = (options: { kid?: string | null; iss?: string; aud?: string; exp?: number | null; key?: KeyObject; role?: string } = {}): Promise<string> => {
    const jwt = new SignJWT({ ...claims, ...(options.role ? { role: options.role } : {}) })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', ...(options.kid === null ? {} : { kid: options.kid ?? service.keyId }) })
      .setSubject(victim.userId)
      .setIssuer(options.iss ?? service.issuer)
      .setAudience(options.aud ?? service.audience)
      .setIssuedAt(now() - 7_200);
    if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now() + 600);
    return jwt.sign(options.key ?? service.privateKey);
  };
  const encode = (value: object): string => base64url.encode(JSON.stringify(value));
  const payload = { ...claims, role: 'admin', sub: victim.userId, iss: service.issuer, aud: service.audience, iat: now(), exp: now() + 600 };
  const hmacWith = (secret: Uint8Array): Promise<string> =>
    new SignJWT({ ...claims, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: service.keyId })
      .setSubject(victim.userId)
      .setIssuer(service.issuer)
      .setAudience(service.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(secret);
  const spki = service.publicKey.export({ format: 'der', type: 'spki' });
  const genuine = await signed();
  const [header, , signature] = genuine.split('.');
  return {
    'alg none': `${encode({ alg: 'none', typ: 'JWT', kid: service.keyId })}.${encode(payload)}.`,
    'HS256 signed with the public key (SPKI DER bytes)': await hmacWith(new Uint8Array(spki)),
    'HS256 signed with the public key (PEM text)': await hmacWith(new TextEncoder().encode(service.publicKey.export({ format: 'pem', type: 'spki' }).toString())),
    'HS256 signed with the public key (raw 32 bytes)': await hmacWith(new Uint8Array(spki.subarray(spki.length - 32))),
    expired: await signed({ exp: now() - 60 }),
    'missing exp': await signed({ exp: null }),
    'wrong audience': await signed({ aud: `${service.audience}-other` }),
    'wrong issuer': await signed({ iss: `${service.issuer}-other` }),
    'bad kid': await signed({ kid: 'not-our-key' }),
    'no kid': await signed({ kid: null }),
    'another Ed25519 key under our kid': await signed({ key: generateKeyPairSync('ed25519').privateKey }),
    // The genuine signature over an edited payload (a different role; for an admin victim, any other one).
    'payload edited after signing': `${header}.${encode({ ...payload, role: victim.role === 'admin' ? 'shopper' : 'admin', iat: now() - 7_200 })}.${signature}`,
    'not a JWT': 'not.a.token',
  };
}
