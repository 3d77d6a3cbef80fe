import { Router } from 'express';
import type pg from 'pg';
import { authenticate, principalOf, type TokenVerifier } from '@shop/service-kit';
import { revokeTokens } from '../user-accounts.js';

/**
 * `POST /api/auth/logout`: revokes every token of the caller's account (all its sessions: a token version is per
 * account). Answers 204; the same token is refused from then on (401), by the query service within its short cache.
 */
export function logoutRoutes(deps: { pool: pg.Pool; tokens: TokenVerifier }): Router {
  const router = Router();
  router.post('/api/auth/logout', authenticate(deps.tokens), async (_req, res) => {
    await revokeTokens(deps.pool, principalOf(res).userId);
    res.status(204).end();
  });
  return router;
}
