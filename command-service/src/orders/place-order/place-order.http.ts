import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { IdempotencyStore } from '../../http/idempotency-store.js';
import { z } from 'zod';
import { MAX_LINE_QUANTITY, MIN_LINE_QUANTITY, ShippingAddress, type ProductState } from '@shop/domain';
import type { AggregateCache } from '../../commands/aggregate-cache.js';
import type { EventStore } from '@shop/kernel';
import { authenticate, parseOrThrow, principalOf, ProblemError, requireRole, type TokenService } from '@shop/service-kit';
import type { KeyedMutex } from '../../commands/keyed-mutex.js';
import { commandMetadata, setConsistencyToken } from '../../http/command-context.js';
import { idempotency, withDeferredClaim } from '../../http/idempotency.js';
import { streamVersionEtag } from '../../http/preconditions.js';
import { placeOrder } from './place-order.js';

/** Only products and quantities: prices, totals, status and the customer come from the server, never the body. */
const PlaceOrderBody = z.strictObject({
  lines: z
    .array(z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(MIN_LINE_QUANTITY).max(MAX_LINE_QUANTITY) }))
    .min(1)
    .max(100),
  shippingAddress: ShippingAddress,
});

export function placeOrderRoutes(deps: { idempotencyKeys: IdempotencyStore; store: EventStore; tokens: TokenService; locks: KeyedMutex; products: AggregateCache<ProductState> }): Router {
  const router = Router();
  router.post(
    '/api/orders',
    authenticate(deps.tokens),
    requireRole('shopper'),
    // Placing orders is the hot create: its key is claimed in the order's own append where the store can.
    idempotency(deps.idempotencyKeys, { required: true, claimWithAppend: deps.store.claimsIdempotencyKeys }),
    async (req, res) => {
      const body = parseOrThrow(PlaceOrderBody, req.body, 'order');
      const { customerId } = principalOf(res);
      if (!customerId) throw new ProblemError(403, 'forbidden', 'Forbidden', 'This account has no customer profile');
      const orderId = randomUUID();
      const placed = await withDeferredClaim(res, (claim) =>
        placeOrder(
          deps.store,
          deps.locks,
          deps.products,
          { type: 'PlaceOrder', data: { orderId, customerId, lines: body.lines, shippingAddress: body.shippingAddress, placedAt: new Date().toISOString() } },
          commandMetadata(req, res),
          claim,
        ),
      );
      // Its key was taken (a retry, a concurrent duplicate): already answered as the key's first request was.
      if (!placed) return;
      setConsistencyToken(res, placed.lastPosition);
      res
        .status(201)
        .location(`/api/orders/${orderId}`)
        .set('ETag', streamVersionEtag(placed.version))
        .json({ orderId, status: 'placed', totalCents: placed.totalCents });
    },
  );
  return router;
}
