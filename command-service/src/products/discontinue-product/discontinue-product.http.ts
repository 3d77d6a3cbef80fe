import { Router } from 'express';
import { z } from 'zod';
import { authenticate, parseOrThrow, requireRole, type TokenService } from '@shop/service-kit';
import { commandMetadata } from '../../http/command-context.js';
import { ifMatchVersion } from '../../http/preconditions.js';
import type { ProductCommandDeps } from '../product-command.js';
import { answerProductCommand, productIdOf } from '../product.http.js';
import { discontinueProduct } from './discontinue-product.js';

const NoBody = z.strictObject({});

/** `POST /api/products/:id/discontinue` (admin); If-Match optional. */
export function discontinueProductRoutes(deps: ProductCommandDeps & { tokens: TokenService }): Router {
  const router = Router();
  router.post('/api/products/:id/discontinue', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const productId = productIdOf(req.params);
    parseOrThrow(NoBody, req.body ?? {}, 'request body');
    const ifMatch = ifMatchVersion(req, { required: false });
    const outcome = await discontinueProduct(deps, productId, commandMetadata(req, res), ifMatch);
    answerProductCommand(res, productId, outcome, { status: 'discontinued' });
  });
  return router;
}
