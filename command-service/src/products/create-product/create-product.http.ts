import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { Cents, Currency, ImageUrl } from '@shop/domain';
import type { EventStore } from '@shop/kernel';
import { authenticate, parseOrThrow, requireRole, type TokenService } from '@shop/service-kit';
import { commandMetadata, setCommandHeaders } from '../../http/command-context.js';
import { createProduct } from './create-product.js';

/** Strict: unknown fields (an `id`, a `status`, a forged `actor`) are rejected, never ignored. */
export const CreateProductBody = z.strictObject({
  sku: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore'),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5_000),
  priceCents: Cents,
  currency: Currency,
  initialStock: z.number().int().min(0).max(1_000_000_000),
  /** Optional: a product without a picture gets the web app's placeholder. */
  imageUrl: ImageUrl.optional(),
});

export function createProductRoutes(deps: { store: EventStore; tokens: TokenService }): Router {
  const router = Router();
  router.post('/api/products', authenticate(deps.tokens), requireRole('admin'), async (req, res) => {
    const body = parseOrThrow(CreateProductBody, req.body, 'product');
    const productId = randomUUID();
    const created = await createProduct(deps.store, { type: 'CreateProduct', data: { productId, ...body } }, commandMetadata(req, res));
    setCommandHeaders(res, created);
    res.status(201).location(`/api/products/${productId}`).json({ id: productId });
  });
  return router;
}
