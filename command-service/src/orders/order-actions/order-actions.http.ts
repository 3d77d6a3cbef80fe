import { Router, type Response } from 'express';
import { z } from 'zod';
import { PaymentMethod, type OrderState } from '@shop/domain';
import { authenticate, parseOrThrow, principalOf, requireRole, type TokenService } from '@shop/service-kit';
import { commandMetadata, setConsistencyToken } from '../../http/command-context.js';
import { streamVersionEtag } from '../../http/preconditions.js';
import { runOrderAction, type OrderActionDeps, type OrderActionOutcome } from './order-actions.js';

const OrderIdParams = z.strictObject({ id: z.uuid() });
const PayBody = z.strictObject({ method: PaymentMethod });
const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
const NoBody = z.strictObject({});

const statusOf = (state: OrderState): string => state.status;

function answer(res: Response, orderId: string, outcome: OrderActionOutcome): void {
  setConsistencyToken(res, outcome.lastPosition);
  res.set('ETag', streamVersionEtag(outcome.version)).json({ orderId, status: statusOf(outcome.state) });
}

/** Order lifecycle: the owner pays; the owner or an admin cancels; an admin ships and refunds. */
export function orderActionRoutes(deps: OrderActionDeps & { tokens: TokenService; now?: () => Date }): Router {
  const router = Router();
  const now = (): string => (deps.now?.() ?? new Date()).toISOString();

  router.post('/api/orders/:id/pay', authenticate(deps.tokens), requireRole('shopper'), async (req, res) => {
    const { id } = parseOrThrow(OrderIdParams, req.params, 'order id');
    const { method } = parseOrThrow(PayBody, req.body, 'payment');
    const outcome = await runOrderAction(deps, { type: 'PayOrder', data: { orderId: id, method, paidAt: now() } }, principalOf(res), commandMetadata(req, res));
    answer(res, id, outcome);
  });

  router.post('/api/orders/:id/cancel', authenticate(deps.tokens), requireRole('shopper', 'admin'), async (req, res) => {
    const { id } = parseOrThrow(OrderIdParams, req.params, 'order id');
    const { reason } = parseOrThrow(CancelBody, req.body ?? {}, 'cancellation');
    const command = { type: 'CancelOrder' as const, data: { orderId: id, cancelledAt: now(), ...(reason ? { reason } : {}) } };
    answer(res, id, await runOrderAction(deps, command, principalOf(res), commandMetadata(req, res)));
  });

  router.post('/api/orders/:id/ship', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const { id } = parseOrThrow(OrderIdParams, req.params, 'order id');
    parseOrThrow(NoBody, req.body ?? {}, 'request body');
    answer(res, id, await runOrderAction(deps, { type: 'ShipOrder', data: { orderId: id, shippedAt: now() } }, principalOf(res), commandMetadata(req, res)));
  });

  router.post('/api/orders/:id/refund', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const { id } = parseOrThrow(OrderIdParams, req.params, 'order id');
    parseOrThrow(NoBody, req.body ?? {}, 'request body');
    answer(res, id, await runOrderAction(deps, { type: 'RefundOrder', data: { orderId: id, refundedAt: now() } }, principalOf(res), commandMetadata(req, res)));
  });

  return router;
}
