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
  const key = new TextEncoder().encode(settings.secret);
  return {
    issue: (principal) =>
      new SignJWT({ role: principal.role, ...(principal.customerId ? { cid: principal.customerId } : {}) })
        .setProtectedHeader({ alg: ALGORITHM })
        .setSubject(principal.userId)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt()
        .setExpirationTime(`${settings.ttlSeconds}s`)
        .sign(key),
    async verify(token) {
      // An explicit algorithm list: a token signed any other way (or `alg: none`) is rejected.
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ALGORITHM],
        issuer: settings.issuer,
        audience: settings.audience,
      });
      const claims = Claims.parse(payload);
      return { userId: claims.sub, role: claims.role, ...(claims.cid ? { customerId: claims.cid } : {}) };
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
