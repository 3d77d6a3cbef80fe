/** What every product route shares at the HTTP edge: the product id from the path, and the answer to a command on one product. */
import type { Response } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '@shop/service-kit';
import { setCommandHeaders } from '../http/command-context.js';
import type { ProductCommandOutcome } from './product-command.js';

const ProductIdParams = z.strictObject({ id: z.uuid() });

export const productIdOf = (params: unknown): string => parseOrThrow(ProductIdParams, params, 'product id').id;

/** The answer to a command on one product: ETag and Consistency-Token, and `{ id, version }` with the route's own fields. */
export function answerProductCommand(res: Response, productId: string, outcome: ProductCommandOutcome, fields: Record<string, unknown> = {}): void {
  setCommandHeaders(res, outcome);
  res.json({ id: productId, version: Number(outcome.version), ...fields });
}
