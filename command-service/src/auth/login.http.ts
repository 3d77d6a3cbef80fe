import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { parseOrThrow, ProblemError, type TokenService } from '@shop/service-kit';
import { rateLimit, type RateLimit } from '../http/rate-limit.js';
import { checkCredentials } from './user-accounts.js';

const LoginBody = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(1_024),
});

export function loginRoutes(deps: { pool: pg.Pool; tokens: TokenService; loginLimit: RateLimit }): Router {
  const router = Router();
  // Per address and email: guessing one account's password is slow, and so is spraying one password.
  const emailOf = (body: unknown): string => {
    const email = (body as { email?: unknown } | undefined)?.email;
    return typeof email === 'string' ? email.toLowerCase() : '';
  };
  const limitLogins = rateLimit(deps.loginLimit, (req) => `${req.ip ?? ''}|${emailOf(req.body)}`, 'login_rate_limited');
  router.post('/api/auth/login', limitLogins, async (req, res) => {
    const body = parseOrThrow(LoginBody, req.body, 'login request');
    const account = await checkCredentials(deps.pool, body.email, body.password);
    if (!account) throw new ProblemError(401, 'invalid_credentials', 'Unauthorized', 'Email or password is wrong');
    const principal = {
      userId: account.id,
      role: account.role,
      tokenVersion: account.tokenVersion,
      ...(account.customerId ? { customerId: account.customerId } : {}),
    };
    const token = await deps.tokens.issue(principal);
    res.json({ token, role: account.role, ...(account.customerId ? { customerId: account.customerId } : {}) });
  });
  return router;
}
