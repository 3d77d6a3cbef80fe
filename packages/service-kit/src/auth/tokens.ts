import type { RequestHandler, Response } from 'express';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ProblemError } from '../http/problem.js';

export const ROLES = ['shopper', 'admin', 'auditor', 'analyst'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export interface Principal {
  userId: string;
  role: Role;
  customerId?: string;
}

export interface TokenSettings {
  /** HS256 shared secret, at least 32 bytes. */
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = 'HS256';

const Claims = z.object({ sub: z.string(), role: Role, cid: z.string().optional() });

export interface TokenService {
  issue(principal: Principal): Promise<string>;
  verify(token: string): Promise<Principal>;
}

export function createTokenService(settings: TokenSettings): TokenService {
  // A client sends the same token with every request: a verified token is remembered (never past its expiry, at
  // most a minute) so the HMAC runs once per token and minute, not once per request.
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  const remember = (token: string, principal: Principal, expiresAtMs: number): void => {
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, { principal, expiresAt: Math.min(expiresAtMs, Date.now() + 60_000) });
  };
  // Imported once: handing jose raw bytes would import a fresh CryptoKey at every sign and verify.
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(settings.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return {
    issue: async (principal) =>
      new SignJWT({ role: principal.role, ...(principal.customerId ? { cid: principal.customerId } : {}) })
        .setProtectedHeader({ alg: ALGORITHM })
        .setSubject(principal.userId)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt()
        .setExpirationTime(`${settings.ttlSeconds}s`)
        .sign(await key),
    async verify(token) {
      const cached = verified.get(token);
      if (cached && cached.expiresAt > Date.now()) return cached.principal;
      // An explicit algorithm list: a token signed any other way (or `alg: none`) is rejected.
      const { payload } = await jwtVerify(token, await key, {
        algorithms: [ALGORITHM],
        issuer: settings.issuer,
        audience: settings.audience,
      });
      const claims = Claims.parse(payload);
      const principal: Principal = { userId: claims.sub, role: claims.role, ...(claims.cid ? { customerId: claims.cid } : {}) };
      remember(token, principal, (payload.exp ?? 0) * 1000);
      return principal;
    },
  };
}

const unauthenticated = (detail: string): ProblemError =>
  new ProblemError(401, 'unauthenticated', 'Unauthorized', detail, {}, { 'WWW-Authenticate': 'Bearer' });

/**
 * Learns who is calling when a valid bearer token is present, and lets the request through either way (routes
 * that need a caller use `authenticate`). Runs once, early, so that per-client limits can count by user.
 */
export function identify(tokens: TokenService): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      res.locals.principal = await tokens.verify(header.slice('Bearer '.length).trim()).catch(() => undefined);
    }
    next();
  };
}

/** Requires a valid bearer token; the principal is then available through `principalOf(res)`. */
export function authenticate(tokens: TokenService): RequestHandler {
  return async (req, res, next) => {
    if (res.locals.principal) {
      next();
      return;
    }
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw unauthenticated('A bearer token is required');
    try {
      res.locals.principal = await tokens.verify(header.slice('Bearer '.length).trim());
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof z.ZodError) {
        throw unauthenticated('The bearer token is invalid or expired');
      }
      throw error;
    }
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
    const { role } = principalOf(res);
    if (!roles.includes(role)) {
      throw new ProblemError(403, 'forbidden', 'Forbidden', `This action needs the role ${roles.join(' or ')}`);
    }
    next();
  };
}
