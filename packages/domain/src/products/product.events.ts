import { z } from 'zod';
import { Cents, Currency } from '../shared/money.js';

export const PRODUCT_STREAM_PREFIX = 'product-';
export const productStreamId = (productId: string): string => `${PRODUCT_STREAM_PREFIX}${productId}`;

/** A whole number of units, at least one. */
const Quantity = z.number().int().min(1);

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

export const ProductRenamed = z.strictObject({
  type: z.literal('ProductRenamed'),
  data: z.strictObject({ productId: z.uuid(), name: z.string().min(1) }),
});
export type ProductRenamed = z.infer<typeof ProductRenamed>;

export const ProductRedescribed = z.strictObject({
  type: z.literal('ProductRedescribed'),
  data: z.strictObject({ productId: z.uuid(), description: z.string() }),
});
export type ProductRedescribed = z.infer<typeof ProductRedescribed>;

export const ProductRepriced = z.strictObject({
  type: z.literal('ProductRepriced'),
  data: z.strictObject({ productId: z.uuid(), priceCents: Cents }),
});
export type ProductRepriced = z.infer<typeof ProductRepriced>;

/** Goods arrived: always an increase. */
export const StockReceived = z.strictObject({
  type: z.literal('StockReceived'),
  data: z.strictObject({ productId: z.uuid(), quantity: Quantity, reason: z.string() }),
});
export type StockReceived = z.infer<typeof StockReceived>;

/** A correction of the counted stock (breakage, stock-take); the decider only writes decreases, the schema allows both. */
export const StockAdjusted = z.strictObject({
  type: z.literal('StockAdjusted'),
  data: z.strictObject({
    productId: z.uuid(),
    delta: z
      .number()
      .int()
      .refine((delta) => delta !== 0, 'A stock adjustment changes the stock'),
    reason: z.string(),
  }),
});
export type StockAdjusted = z.infer<typeof StockAdjusted>;

/** Units held for an order: no longer available for sale, not yet gone. One reservation per order. */
export const StockReserved = z.strictObject({
  type: z.literal('StockReserved'),
  data: z.strictObject({ productId: z.uuid(), orderId: z.uuid(), quantity: Quantity }),
});
export type StockReserved = z.infer<typeof StockReserved>;

/** An order's whole reservation returned to the available stock. */
export const StockReleased = z.strictObject({
  type: z.literal('StockReleased'),
  data: z.strictObject({ productId: z.uuid(), orderId: z.uuid(), quantity: Quantity }),
});
export type StockReleased = z.infer<typeof StockReleased>;

/** The reserved units left with a shipped order: the reservation ends, available stock does not change. */
export const ReservationFulfilled = z.strictObject({
  type: z.literal('ReservationFulfilled'),
  data: z.strictObject({ productId: z.uuid(), orderId: z.uuid(), quantity: z.number().int().min(1) }),
});
export type ReservationFulfilled = z.infer<typeof ReservationFulfilled>;

export const ProductDiscontinued = z.strictObject({
  type: z.literal('ProductDiscontinued'),
  data: z.strictObject({ productId: z.uuid() }),
});
export type ProductDiscontinued = z.infer<typeof ProductDiscontinued>;

/** Every product event, as a discriminated union on `type`. The zod schema is the source of truth. */
export const ProductEvent = z.discriminatedUnion('type', [
  ProductCreated,
  ProductRenamed,
  ProductRedescribed,
  ProductRepriced,
  StockReceived,
  StockAdjusted,
  StockReserved,
  StockReleased,
  ReservationFulfilled,
  ProductDiscontinued,
]);
export type ProductEvent = z.infer<typeof ProductEvent>;
export type ProductEventType = ProductEvent['type'];

/** Schema version of each event type as written today; older versions are upcast on read. */
export const PRODUCT_EVENT_VERSIONS: Record<ProductEventType, number> = {
  ProductCreated: 1,
  ProductRenamed: 1,
  ProductRedescribed: 1,
  ProductRepriced: 1,
  StockReceived: 1,
  StockAdjusted: 1,
  StockReserved: 1,
  StockReleased: 1,
  ReservationFulfilled: 1,
  ProductDiscontinued: 1,
};
