import { Router } from 'express';
import { z } from 'zod';
import { authenticate, parseOrThrow, requireRole, type TokenService } from '@shop/service-kit';
import { commandMetadata } from '../../http/command-context.js';
import { ifMatchVersion } from '../../http/preconditions.js';
import type { ProductCommandDeps } from '../product-command.js';
import { answerProductCommand, productIdOf } from '../product.http.js';
import { adjustStock } from './adjust-stock.js';

const AdjustStockBody = z.strictObject({
  delta: z.number().int().min(-1_000_000_000).max(1_000_000_000).refine((delta) => delta !== 0, 'delta must not be 0'),
  reason: z.string().trim().min(1).max(200),
});

/** `POST /api/products/:id/stock` (admin); If-Match optional. */
export function adjustStockRoutes(deps: ProductCommandDeps & { tokens: TokenService }): Router {
  const router = Router();
  router.post('/api/products/:id/stock', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const productId = productIdOf(req.params);
    const body = parseOrThrow(AdjustStockBody, req.body, 'stock adjustment');
    const ifMatch = ifMatchVersion(req, { required: false });
    const outcome = await adjustStock(deps, { productId, ...body }, commandMetadata(req, res), ifMatch);
    answerProductCommand(res, productId, outcome, { stockAvailable: outcome.state.status === 'absent' ? 0 : outcome.state.available });
  });
  return router;
}
