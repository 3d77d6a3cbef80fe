import { Router } from 'express';
import { z } from 'zod';
import type { DataKeyRing, EventStore } from '@shop/kernel';
import { authenticate, parseOrThrow, ProblemError, requireRole, type TokenService } from '@shop/service-kit';
import type pg from 'pg';
import { commandMetadata, setConsistencyToken } from '../../http/command-context.js';
import { forgetCustomer } from './forget-customer.js';

const CustomerIdParams = z.strictObject({ customerId: z.uuid() });
const NoBody = z.strictObject({});

/**
 * `POST /api/admin/customers/:customerId/erasure` (admin): GDPR erasure. 202: the customer's personal data is
 * unreadable from the answer on (the key is gone); read models and caches follow as the projections apply
 * CustomerForgotten (its position is the Consistency-Token). Repeating it answers 202 again.
 */
export function forgetCustomerRoutes(deps: { pool: pg.Pool; store: EventStore; keys: DataKeyRing; tokens: TokenService }): Router {
  const router = Router();
  router.post('/api/admin/customers/:customerId/erasure', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const { customerId } = parseOrThrow(CustomerIdParams, req.params, 'customer id');
    parseOrThrow(NoBody, req.body ?? {}, 'request body');
    const outcome = await forgetCustomer(deps, customerId, commandMetadata(req, res), new Date());
    if (outcome.status === 'unknown') throw new ProblemError(404, 'customer_not_found', 'Customer not found', `Customer ${customerId} does not exist`);
    setConsistencyToken(res, outcome.lastPosition);
    res.status(202).json({ customerId, status: 'forgotten' });
  });
  return router;
}
