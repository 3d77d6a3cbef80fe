import { Router } from 'express';
import { z } from 'zod';
import { Cents, ImageUrl } from '@shop/domain';
import { authenticate, parseOrThrow, requireRole, type TokenService } from '@shop/service-kit';
import { commandMetadata } from '../../http/command-context.js';
import { ifMatchVersion } from '../../http/preconditions.js';
import type { ProductCommandDeps } from '../product-command.js';
import { answerProductCommand, productIdOf } from '../product.http.js';
import { changeProductDetails } from './change-product-details.js';

const ChangeProductDetailsBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(5_000).optional(),
    priceCents: Cents.optional(),
    /** null removes the image. */
    imageUrl: ImageUrl.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name, description, priceCents or imageUrl is required');

/** PATCH with If-Match required: an admin can never overwrite a change they have not seen. */
export function changeProductDetailsRoutes(deps: ProductCommandDeps & { tokens: TokenService }): Router {
  const router = Router();
  router.patch('/api/products/:id', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const productId = productIdOf(req.params);
    const body = parseOrThrow(ChangeProductDetailsBody, req.body, 'product changes');
    const ifMatch = ifMatchVersion(req, { required: true });
    const outcome = await changeProductDetails(deps, { productId, ...body }, commandMetadata(req, res), ifMatch);
    answerProductCommand(res, productId, outcome);
  });
  return router;
}
