import { z } from 'zod';
import { eventSchema, schemaVersions } from '../shared/event-schema.js';
import { Cents, Currency } from '../shared/money.js';
import { ImageUrl } from './product-image.js';

export const PRODUCT_STREAM_PREFIX = 'product-';
export const productStreamId = (productId: string): string => `${PRODUCT_STREAM_PREFIX}${productId}`;

/** A whole number of units, at least one. */
const Quantity = z.number().int().min(1);

export const ProductCreated = eventSchema(
  'ProductCreated',
  z.strictObject({
    productId: z.uuid(),
    sku: z.string().min(1),
    name: z.string().min(1),
    description: z.string(),
    priceCents: Cents,
    currency: Currency,
    initialStock: z.number().int().min(0),
    /** Optional, so events written before products had images still parse as they are (no upcaster). */
    imageUrl: ImageUrl.optional(),
  }),
);
export type ProductCreated = z.infer<typeof ProductCreated>;

export const ProductRenamed = eventSchema('ProductRenamed', z.strictObject({ productId: z.uuid(), name: z.string().min(1) }));
export type ProductRenamed = z.infer<typeof ProductRenamed>;

export const ProductRedescribed = eventSchema('ProductRedescribed', z.strictObject({ productId: z.uuid(), description: z.string() }));
export type ProductRedescribed = z.infer<typeof ProductRedescribed>;

export const ProductRepriced = eventSchema('ProductRepriced', z.strictObject({ productId: z.uuid(), priceCents: Cents }));
export type ProductRepriced = z.infer<typeof ProductRepriced>;

/** The product's image was set, replaced or (null) removed. */
export const ProductImageChanged = eventSchema('ProductImageChanged', z.strictObject({ productId: z.uuid(), imageUrl: ImageUrl.nullable() }));
export type ProductImageChanged = z.infer<typeof ProductImageChanged>;

/** Goods arrived: always an increase. */
export const StockReceived = eventSchema('StockReceived', z.strictObject({ productId: z.uuid(), quantity: Quantity, reason: z.string() }));
export type StockReceived = z.infer<typeof StockReceived>;

/** A correction of the counted stock (breakage, stock-take); the decider only writes decreases, the schema allows both. */
export const StockAdjusted = eventSchema(
  'StockAdjusted',
  z.strictObject({
    productId: z.uuid(),
    delta: z
      .number()
      .int()
      .refine((delta) => delta !== 0, 'A stock adjustment changes the stock'),
    reason: z.string(),
  }),
);
export type StockAdjusted = z.infer<typeof StockAdjusted>;

/** Units held for an order: no longer available for sale, not yet gone. One reservation per order. */
export const StockReserved = eventSchema('StockReserved', z.strictObject({ productId: z.uuid(), orderId: z.uuid(), quantity: Quantity }));
export type StockReserved = z.infer<typeof StockReserved>;

/** An order's whole reservation returned to the available stock. */
export const StockReleased = eventSchema('StockReleased', z.strictObject({ productId: z.uuid(), orderId: z.uuid(), quantity: Quantity }));
export type StockReleased = z.infer<typeof StockReleased>;

/** The reserved units left with a shipped order: the reservation ends, available stock does not change. */
export const ReservationFulfilled = eventSchema(
  'ReservationFulfilled',
  z.strictObject({ productId: z.uuid(), orderId: z.uuid(), quantity: z.number().int().min(1) }),
);
export type ReservationFulfilled = z.infer<typeof ReservationFulfilled>;

export const ProductDiscontinued = eventSchema('ProductDiscontinued', z.strictObject({ productId: z.uuid() }));
export type ProductDiscontinued = z.infer<typeof ProductDiscontinued>;

/** Every product event, as a discriminated union on `type`. The zod schema is the source of truth. */
export const ProductEvent = z.discriminatedUnion('type', [
  ProductCreated,
  ProductRenamed,
  ProductRedescribed,
  ProductRepriced,
  ProductImageChanged,
  StockReceived,
  StockAdjusted,
  StockReserved,
  StockReleased,
  ReservationFulfilled,
  ProductDiscontinued,
]);
export type ProductEvent = z.infer<typeof ProductEvent>;
export type ProductEventType = ProductEvent['type'];

/** Schema version of each event type as written today (all at 1); older versions are upcast on read. */
export const PRODUCT_EVENT_VERSIONS = schemaVersions(ProductEvent);
