import { Router } from 'express';
import { z } from 'zod';
import { productStreamId, type ProductState } from '@shop/domain';
import type { EventStore } from '@shop/kernel';
import type { AggregateCache } from '../../commands/aggregate-cache.js';
import { authenticate, parseOrThrow, requireRole, type TokenService } from '@shop/service-kit';
import { productAggregate } from '../../commands/aggregates.js';
import type { KeyedMutex } from '../../commands/keyed-mutex.js';
import { runCommand } from '../../commands/run-command.js';
import { commandMetadata, setCommandHeaders } from '../../http/command-context.js';
import { expectedVersionFromIfMatch } from '../../http/preconditions.js';
import { productIdOf } from '../product-id.js';

const AdjustStockBody = z.strictObject({
  delta: z.number().int().min(-1_000_000_000).max(1_000_000_000).refine((delta) => delta !== 0, 'delta must not be 0'),
  reason: z.string().trim().min(1).max(200),
});

/** Stock received (delta > 0) or corrected (delta < 0); 409 insufficient_stock rather than negative stock. */
export function adjustStockRoutes(deps: { store: EventStore; tokens: TokenService; locks: KeyedMutex; products: AggregateCache<ProductState> }): Router {
  const router = Router();
  router.post('/api/products/:id/stock', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const productId = productIdOf(req.params);
    const body = parseOrThrow(AdjustStockBody, req.body, 'stock adjustment');
    const ifMatch = expectedVersionFromIfMatch(req, { required: false, fallback: 'any' });
    const streamId = productStreamId(productId);
    const outcome = await deps.locks.withKeys([streamId], () =>
      runCommand(deps.store, streamId, productAggregate, { type: 'AdjustStock', data: { productId, ...body } }, commandMetadata(req, res), { ifMatch, cache: deps.products }),
    );
    setCommandHeaders(res, outcome);
    const state = outcome.state;
    res.json({ id: productId, version: Number(outcome.version), stockAvailable: state.status === 'absent' ? 0 : state.available });
  });
  return router;
}
