import { setTimeout as sleep } from 'node:timers/promises';
import { Router, type Request } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { parseOrThrow, ProblemError, type TokenService } from '@shop/service-kit';
import { DEFAULT_LIMITER_MEMORY, FailureSlowdown, TokenBuckets, tooManyRequests, type LimiterMemory, type RateLimit, type SlowdownSettings } from '../../http/rate-limit.js';
import { signIn } from './login.js';

const LoginBody = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(1_024),
});

export interface LoginLimits {
  /** Attempts per (address, account): one client guessing one account's password. */
  loginLimit: RateLimit;
  /** Attempts per address over every account: one client spraying a password over many accounts. Default: loginLimit. */
  loginAddressLimit?: RateLimit;
  /** Per account over every address, a delay only (never a refusal). Default: none. */
  loginSlowdown?: SlowdownSettings;
  limiterMemory?: LimiterMemory;
}

/** The account an attempt is about, as typed (before validation, so that a malformed attempt counts too). */
const accountOf = (req: Request): string => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

export function loginRoutes(deps: { pool: pg.Pool; tokens: TokenService } & LoginLimits): Router {
  const router = Router();
  const memory = deps.limiterMemory ?? DEFAULT_LIMITER_MEMORY;
  const perAddressAndAccount = new TokenBuckets(deps.loginLimit, memory);
  const perAddress = new TokenBuckets(deps.loginAddressLimit ?? deps.loginLimit, memory);
  const perAccount = deps.loginSlowdown ? new FailureSlowdown(deps.loginSlowdown, memory) : undefined;

  router.post('/api/auth/login', async (req, res) => {
    // req.ip is the client as the gateway saw it (trust proxy: TRUSTED_PROXIES), so each client has its own buckets.
    const address = req.ip ?? 'unknown';
    const account = accountOf(req);
    const now = Date.now();
    const guessing = perAddressAndAccount.take(`${address}|${account}`, now);
    if (!guessing.admitted) throw tooManyRequests('login_rate_limited', guessing.retryAfterSeconds);
    const spraying = perAddress.take(address, now);
    if (!spraying.admitted) throw tooManyRequests('login_rate_limited', spraying.retryAfterSeconds);
    const body = parseOrThrow(LoginBody, req.body, 'login request');
    // Before the check, whatever its outcome: a delay only on failures would let a guesser stop waiting early.
    const delay = perAccount?.delayMs(account, now) ?? 0;
    if (delay > 0) await sleep(delay);
    const signedIn = await signIn(deps, body);
    if (!signedIn) {
      perAccount?.recordFailure(account, Date.now());
      throw new ProblemError(401, 'invalid_credentials', 'Unauthorized', 'Email or password is wrong');
    }
    perAccount?.recordSuccess(account);
    res.json(signedIn);
  });
  return router;
}
