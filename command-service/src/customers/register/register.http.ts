import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import type { EventStore } from '@shop/kernel';
import { parseOrThrow } from '@shop/service-kit';
import { correlationIdOf, setConsistencyToken } from '../../http/command-context.js';
import { rateLimit, type LimiterMemory, type RateLimit } from '../../http/rate-limit.js';
import { register } from './register.js';

const RegisterBody = z.strictObject({
  email: z.email().max(254).transform((email) => email.toLowerCase()),
  password: z.string().min(12, 'at least 12 characters').max(1_024),
  name: z.string().trim().min(1).max(200),
});

/** `POST /api/auth/register` (anyone, rate limited per address): 201 `{customerId}`; 409 email_taken. */
export function registerRoutes(deps: { pool: pg.Pool; store: EventStore; registerLimit: RateLimit; limiterMemory?: LimiterMemory }): Router {
  const router = Router();
  // Per address as the gateway saw it (trust proxy): one client's sign-ups never slow another's.
  const limit = rateLimit(deps.registerLimit, (req) => req.ip ?? 'unknown', 'registration_rate_limited', deps.limiterMemory);
  router.post('/api/auth/register', limit, async (req, res) => {
    const body = parseOrThrow(RegisterBody, req.body, 'registration');
    const registered = await register(deps, body, () => correlationIdOf(req, res), new Date());
    setConsistencyToken(res, registered.lastPosition);
    res.status(201).json({ customerId: registered.customerId });
  });
  return router;
}
