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

const NoBody = z.strictObject({});

export function discontinueProductRoutes(deps: { store: EventStore; tokens: TokenService; locks: KeyedMutex; products: AggregateCache<ProductState> }): Router {
  const router = Router();
  router.post('/api/products/:id/discontinue', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const productId = productIdOf(req.params);
    parseOrThrow(NoBody, req.body ?? {}, 'request body');
    const ifMatch = expectedVersionFromIfMatch(req, { required: false, fallback: 'any' });
    const streamId = productStreamId(productId);
    const outcome = await deps.locks.withKeys([streamId], () =>
      runCommand(deps.store, streamId, productAggregate, { type: 'DiscontinueProduct', data: { productId } }, commandMetadata(req, res), { ifMatch, cache: deps.products }),
    );
    setCommandHeaders(res, outcome);
    res.json({ id: productId, version: Number(outcome.version), status: 'discontinued' });
  });
  return router;
}
