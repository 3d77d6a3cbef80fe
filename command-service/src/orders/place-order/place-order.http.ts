import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { MAX_LINE_QUANTITY, MIN_LINE_QUANTITY, ShippingAddress } from '@shop/domain';
import { authenticate, parseOrThrow, principalOf, ProblemError, requireRole, type TokenService } from '@shop/service-kit';
import { commandMetadata } from '../../http/command-context.js';
import { streamVersionEtag } from '../../http/preconditions.js';
import type { StoredAnswer } from '../../idempotency/idempotency-decision.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import { withIdempotency } from '../../idempotency/with-idempotency.http.js';
import { orderPlacedIn, placeOrder, type OrderPlacement, type PlaceOrderDeps } from './place-order.js';

/**
 * The address as a request may send it: the domain's shape with a length on every field (the event schema stays
 * without caps, so events already stored keep reading back).
 */
const ShippingAddressBody = ShippingAddress.extend({
  name: z.string().min(1).max(200).optional(),
  line1: z.string().min(1).max(200),
  line2: z.string().min(1).max(200).optional(),
  city: z.string().min(1).max(100),
  postalCode: z.string().min(1).max(20),
});

/** Only products and quantities: prices, totals, status and the customer come from the server, never the body. */
const PlaceOrderBody = z.strictObject({
  lines: z
    .array(z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(MIN_LINE_QUANTITY).max(MAX_LINE_QUANTITY) }))
    .min(1)
    .max(100),
  shippingAddress: ShippingAddressBody,
});

/**
 * The 201 of a placed order, as sent and as stored for replays: built in one place, so that an answer recovered from
 * the store (below) is the very answer the first request would have stored.
 */
const placedAnswer = (placed: OrderPlacement): StoredAnswer => ({
  status: 201,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    location: `/api/orders/${placed.orderId}`,
    etag: streamVersionEtag(placed.version),
    'consistency-token': placed.lastPosition.toString(),
  },
  body: JSON.stringify({ orderId: placed.orderId, status: 'placed', totalCents: placed.totalCents }),
});

export function placeOrderRoutes(deps: PlaceOrderDeps & { idempotencyKeys: IdempotencyStore; tokens: TokenService; now?: () => Date }): Router {
  const router = Router();
  router.post(
    '/api/orders',
    authenticate(deps.tokens),
    requireRole('shopper'),
    withIdempotency(
      deps.idempotencyKeys,
      {
        required: true,
        // Placing orders is the hot create: its key is claimed in the order's own append where the store can.
        claimWithAppend: deps.store.claimsIdempotencyKeys,
        // A key whose order committed but whose answer was never stored (its process died) is answered from the order.
        recover: async (streamId) => {
          const placed = await orderPlacedIn(deps.store, streamId);
          return placed && placedAnswer(placed);
        },
      },
      async (req, res, claim) => {
        const body = parseOrThrow(PlaceOrderBody, req.body, 'order');
        const { customerId } = principalOf(res);
        if (!customerId) throw new ProblemError(403, 'forbidden', 'Forbidden', 'This account has no customer profile');
        const command = {
          type: 'PlaceOrder' as const,
          data: { orderId: randomUUID(), customerId, lines: body.lines, shippingAddress: body.shippingAddress, placedAt: (deps.now?.() ?? new Date()).toISOString() },
        };
        const placed = await placeOrder(deps, command, commandMetadata(req, res), claim);
        // Placing an order always appends, so a claim passed in is now written.
        return { answer: placedAnswer(placed), keyClaimed: claim !== undefined };
      },
    ),
  );
  return router;
}
