import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { z } from 'zod';
import { ProblemError } from '../http/problem.js';
import { keyIdOf } from './keys.js';
import type { TokenVersions } from './token-versions.js';

export const ROLES = ['shopper', 'admin', 'auditor', 'analyst'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export interface Principal {
  userId: string;
  role: Role;
  customerId?: string;
  /** The account's token version when the token was issued (see token-versions.ts). */
  tokenVersion: number;
}

/** Ed25519 only, named explicitly: a token signed any other way (`none`, HS256 with the public key, RS…) is refused. */
const ALGORITHM = 'EdDSA';

export interface TokenSignerSettings {
  privateKey: KeyObject;
  /** The `kid` header; default: the RFC 7638 thumbprint of the public key. */
  keyId?: string | undefined;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface TokenVerifierSettings {
  publicKey: KeyObject;
  /** The `kid` a token must name; default: the RFC 7638 thumbprint of the public key. */
  keyId?: string | undefined;
  issuer: string;
  audience: string;
  /** Where the accounts' current token versions come from (fresh on writes, briefly cached on reads). */
  versions: TokenVersions;
}

export interface TokenSigner {
  issue(principal: Principal): Promise<string>;
}

export interface TokenVerifier {
  /** The token's principal; throws a `JOSEError`, a `ZodError` or `TokenRevoked` when it must not be trusted. */
  verify(token: string): Promise<Principal>;
}

/** The command service both issues (login) and verifies (writes); the query service only verifies. */
export type TokenService = TokenSigner & TokenVerifier;

/** A well-signed token whose account has logged out, changed role or password, or is gone. */
export class TokenRevoked extends Error {
  constructor() {
    super('The token was revoked');
    this.name = 'TokenRevoked';
  }
}

const Claims = z.object({
  // Ours are always uuids; checked, so that a lookup by it can never fail on its type.
  sub: z.uuid(),
  role: Role,
  cid: z.uuid().optional(),
  ver: z.number().int().min(0),
});

export function createTokenSigner(settings: TokenSignerSettings): TokenSigner {
  const keyId = settings.keyId ?? keyIdOf(createPublicKey(settings.privateKey));
  return {
    issue: (principal) =>
      new SignJWT({ role: principal.role, ver: principal.tokenVersion, ...(principal.customerId ? { cid: principal.customerId } : {}) })
        .setProtectedHeader({ alg: ALGORITHM, kid: keyId, typ: 'JWT' })
        .setSubject(principal.userId)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt()
        .setExpirationTime(`${settings.ttlSeconds}s`)
        .sign(settings.privateKey),
  };
}

export function createTokenVerifier(settings: TokenVerifierSettings): TokenVerifier {
  const keyId = settings.keyId ?? keyIdOf(settings.publicKey);
  // Only the kid we know: a token naming another key (an old or foreign one) is refused before any signature check.
  const keyFor = (header: JWTHeaderParameters): KeyObject => {
    if (header.kid !== keyId) throw new joseErrors.JWKSNoMatchingKey();
    return settings.publicKey;
  };
  // A client sends the same token with every request: a verified signature is remembered (never past the token's
  // expiry, at most a minute, at most 10,000 tokens) so it is checked once per token and minute. The revocation
  // check below is not cached here: it runs at every call (its source decides how fresh it is).
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  const remember = (token: string, principal: Principal, expiresAtMs: number): void => {
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, { principal, expiresAt: Math.min(expiresAtMs, Date.now() + 60_000) });
  };
  const signed = async (token: string): Promise<Principal> => {
    const cached = verified.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    const { payload } = await jwtVerify(token, keyFor, {
      algorithms: [ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      // A token without an expiry would be valid forever.
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    const claims = Claims.parse(payload);
    const principal: Principal = {
      userId: claims.sub,
      role: claims.role,
      tokenVersion: claims.ver,
      ...(claims.cid ? { customerId: claims.cid } : {}),
    };
    remember(token, principal, payload.exp! * 1000);
    return principal;
  };
  return {
    async verify(token) {
      const principal = await signed(token);
      if ((await settings.versions.current(principal.userId)) !== principal.tokenVersion) throw new TokenRevoked();
      return principal;
    },
  };
}

/** Both halves over one key pair: the command service's token service. */
export function createTokenService(settings: TokenSignerSettings & Pick<TokenVerifierSettings, 'versions'>): TokenService {
  const signer = createTokenSigner(settings);
  const verifier = createTokenVerifier({ ...settings, publicKey: createPublicKey(settings.privateKey) });
  return { issue: (principal) => signer.issue(principal), verify: (token) => verifier.verify(token) };
}

const unauthenticated = (detail: string): ProblemError =>
  new ProblemError(401, 'unauthenticated', 'Unauthorized', detail, {}, { 'WWW-Authenticate': 'Bearer' });

/** Errors that mean "this token is not to be trusted" (401); anything else (the database down, …) is not the caller's fault. */
const isTokenRejection = (error: unknown): boolean =>
  error instanceof joseErrors.JOSEError || error instanceof z.ZodError || error instanceof TokenRevoked;

const bearerOf = (header: string | undefined): string | undefined =>
  header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;

/**
 * Learns who is calling when a valid bearer token is present, and lets the request through either way (routes
 * that need a caller use `authenticate`). Runs once, early, so that per-client limits can count by user.
 */
export function identify(tokens: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const token = bearerOf(req.headers.authorization);
    if (token) res.locals.principal = await tokens.verify(token).catch(() => undefined);
    next();
  };
}

/**
 * The caller named by an `Authorization: Bearer` header, or a 401 problem saying why not (missing, revoked, invalid
 * or expired). Any other failure (the database down while checking revocation) is thrown as it is.
 */
export async function verifyBearer(tokens: TokenVerifier, authorization: string | undefined): Promise<Principal> {
  const token = bearerOf(authorization);
  if (!token) throw unauthenticated('A bearer token is required');
  try {
    return await tokens.verify(token);
  } catch (error) {
    if (error instanceof TokenRevoked) throw unauthenticated('The bearer token was revoked (logged out, or the account changed): log in again');
    if (isTokenRejection(error)) throw unauthenticated('The bearer token is invalid or expired');
    throw error;
  }
}

/** A 403 problem unless `principal` has one of `roles`. */
export function assertRole(principal: Principal, roles: readonly Role[]): void {
  if (!roles.includes(principal.role)) {
    throw new ProblemError(403, 'forbidden', 'Forbidden', `This action needs the role ${roles.join(' or ')}`);
  }
}

/** Requires a valid, unrevoked bearer token; the principal is then available through `principalOf(res)`. */
export function authenticate(tokens: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    if (res.locals.principal) {
      next();
      return;
    }
    res.locals.principal = await verifyBearer(tokens, req.headers.authorization);
    next();
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error('principalOf called on a route without authenticate()');
  return principal;
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    assertRole(principalOf(res), roles);
    next();
  };
}
