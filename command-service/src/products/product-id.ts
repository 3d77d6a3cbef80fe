import { z } from 'zod';
import { parseOrThrow } from '@shop/service-kit';

const ProductIdParams = z.strictObject({ id: z.uuid() });

export const productIdOf = (params: unknown): string => parseOrThrow(ProductIdParams, params, 'product id').id;
