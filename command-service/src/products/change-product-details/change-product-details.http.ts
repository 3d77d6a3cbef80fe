import { Router } from 'express';
import { z } from 'zod';
import { Cents, productStreamId, type ProductState } from '@shop/domain';
import type { EventStore } from '@shop/kernel';
import type { AggregateCache } from '../../commands/aggregate-cache.js';
import { authenticate, parseOrThrow, requireRole, type TokenService } from '@shop/service-kit';
import { productAggregate } from '../../commands/aggregates.js';
import { runCommand } from '../../commands/run-command.js';
import { commandMetadata, setCommandHeaders } from '../../http/command-context.js';
import { expectedVersionFromIfMatch } from '../../http/preconditions.js';
import { productIdOf } from '../product-id.js';

const ChangeProductDetailsBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(5_000).optional(),
    priceCents: Cents.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name, description or priceCents is required');

/** PATCH with If-Match required: an admin can never overwrite a change they have not seen. */
export function changeProductDetailsRoutes(deps: { store: EventStore; tokens: TokenService; products: AggregateCache<ProductState> }): Router {
  const router = Router();
  router.patch('/api/products/:id', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const productId = productIdOf(req.params);
    const body = parseOrThrow(ChangeProductDetailsBody, req.body, 'product changes');
    const ifMatch = expectedVersionFromIfMatch(req, { required: true, fallback: 'exists' });
    const outcome = await runCommand(
      deps.store,
      productStreamId(productId),
      productAggregate,
      { type: 'ChangeProductDetails', data: { productId, ...body } },
      commandMetadata(req, res),
      { ifMatch, cache: deps.products },
    );
    setCommandHeaders(res, outcome);
    res.json({ id: productId, version: Number(outcome.version) });
  });
  return router;
}
