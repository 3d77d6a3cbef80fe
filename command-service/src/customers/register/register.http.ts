import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { customerStreamId } from '@shop/domain';
import type { EventStore } from '@shop/kernel';
import { parseOrThrow, ProblemError } from '@shop/service-kit';
import { customerAggregate } from '../../commands/aggregates.js';
import { runCommand } from '../../commands/run-command.js';
import { correlationIdOf, setConsistencyToken } from '../../http/command-context.js';
import { rateLimit, type LimiterMemory, type RateLimit } from '../../http/rate-limit.js';
import { hashPassword } from '../../auth/user-accounts.js';

const RegisterBody = z.strictObject({
  email: z.email().max(254).transform((email) => email.toLowerCase()),
  password: z.string().min(12, 'at least 12 characters').max(1_024),
  name: z.string().trim().min(1).max(200),
});

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string }).code === '23505';

/**
 * Registration creates the login (user_accounts: credentials never go into the event log) and the customer
 * (CustomerRegistered). The account row comes first because its unique email is the check; if the event cannot
 * be appended the row is removed again, so a failed registration can simply be retried.
 */
export function registerRoutes(deps: { pool: pg.Pool; store: EventStore; registerLimit: RateLimit; limiterMemory?: LimiterMemory }): Router {
  const router = Router();
  // Per address as the gateway saw it (trust proxy): one client's sign-ups never slow another's.
  const limit = rateLimit(deps.registerLimit, (req) => req.ip ?? 'unknown', 'registration_rate_limited', deps.limiterMemory);
  router.post('/api/auth/register', limit, async (req, res) => {
    const body = parseOrThrow(RegisterBody, req.body, 'registration');
    const customerId = randomUUID();
    const accountId = randomUUID();
    try {
      await deps.pool.query(
        "INSERT INTO user_accounts (id, email, password_hash, role, customer_id) VALUES ($1, $2, $3, 'shopper', $4)",
        [accountId, body.email, await hashPassword(body.password), customerId],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProblemError(409, 'email_taken', 'Email already registered', 'Log in, or register another email');
      throw error;
    }
    try {
      const outcome = await runCommand(
        deps.store,
        customerStreamId(customerId),
        customerAggregate,
        { type: 'RegisterCustomer', data: { customerId, email: body.email, name: body.name, registeredAt: new Date().toISOString() } },
        // The new account is the actor: registration is the one write made before there is a token.
        { correlationId: correlationIdOf(req, res), causationId: accountId, actor: { userId: accountId, role: 'shopper' } },
      );
      setConsistencyToken(res, outcome.appended?.lastPosition);
    } catch (error) {
      await deps.pool.query('DELETE FROM user_accounts WHERE id = $1', [accountId]).catch(() => undefined);
      throw error;
    }
    res.status(201).json({ customerId });
  });
  return router;
}
