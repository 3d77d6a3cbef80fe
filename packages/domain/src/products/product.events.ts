import { z } from 'zod';
import { Cents, Currency } from '../shared/money.js';

export const PRODUCT_STREAM_PREFIX = 'product-';
export const productStreamId = (productId: string): string => `${PRODUCT_STREAM_PREFIX}${productId}`;

export const ProductCreated = z.strictObject({
  type: z.literal('ProductCreated'),
  data: z.strictObject({
    productId: z.uuid(),
    sku: z.string().min(1),
    name: z.string().min(1),
    description: z.string(),
    priceCents: Cents,
    currency: Currency,
    initialStock: z.number().int().min(0),
  }),
});
export type ProductCreated = z.infer<typeof ProductCreated>;

/** Every product event, as a discriminated union on `type`. The zod schema is the source of truth. */
export const ProductEvent = z.discriminatedUnion('type', [ProductCreated]);
export type ProductEvent = z.infer<typeof ProductEvent>;
export type ProductEventType = ProductEvent['type'];

/** Schema version of each event type as written today; older versions are upcast on read. */
export const PRODUCT_EVENT_VERSIONS: Record<ProductEventType, number> = { ProductCreated: 1 };
