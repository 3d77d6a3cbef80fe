import { z } from 'zod';
import { eventSchema, schemaVersions } from '../shared/event-schema.js';
import { Cents, CentsTotal, Currency } from '../shared/money.js';
import { Timestamp } from '../shared/time.js';

export const ORDER_STREAM_PREFIX = 'order-';
export const orderStreamId = (orderId: string): string => `${ORDER_STREAM_PREFIX}${orderId}`;

/** Units of one product an order line may ask for. */
export const MIN_LINE_QUANTITY = 1;
export const MAX_LINE_QUANTITY = 1000;

export const PAYMENT_METHODS = ['card', 'invoice', 'paypal'] as const;
export const PaymentMethod = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** Country is ISO 3166-1 alpha-2, upper case. */
export const ShippingAddress = z.strictObject({
  name: z.string().min(1).optional(),
  line1: z.string().min(1),
  line2: z.string().min(1).optional(),
  city: z.string().min(1),
  postalCode: z.string().min(1),
  country: z.string().regex(/^[A-Z]{2}$/, 'An ISO 3166-1 alpha-2 country code'),
});
export type ShippingAddress = z.infer<typeof ShippingAddress>;

/** A line as sold: sku, name and unit price are the catalog's at the time of the order, never the shopper's. */
export const OrderLine = z.strictObject({
  productId: z.uuid(),
  sku: z.string().min(1),
  name: z.string().min(1),
  quantity: z.number().int().min(MIN_LINE_QUANTITY).max(MAX_LINE_QUANTITY),
  unitPriceCents: Cents,
  lineTotalCents: CentsTotal,
});
export type OrderLine = z.infer<typeof OrderLine>;

export const OrderPlaced = eventSchema(
  'OrderPlaced',
  z.strictObject({
    orderId: z.uuid(),
    customerId: z.uuid(),
    lines: z.array(OrderLine).min(1),
    currency: Currency,
    totalCents: CentsTotal,
    shippingAddress: ShippingAddress,
    placedAt: Timestamp,
  }),
);
export type OrderPlaced = z.infer<typeof OrderPlaced>;

export const OrderPaid = eventSchema('OrderPaid', z.strictObject({ orderId: z.uuid(), method: PaymentMethod, amountCents: CentsTotal, paidAt: Timestamp }));
export type OrderPaid = z.infer<typeof OrderPaid>;

export const OrderShipped = eventSchema('OrderShipped', z.strictObject({ orderId: z.uuid(), shippedAt: Timestamp }));
export type OrderShipped = z.infer<typeof OrderShipped>;

export const OrderCancelled = eventSchema('OrderCancelled', z.strictObject({ orderId: z.uuid(), reason: z.string().optional(), cancelledAt: Timestamp }));
export type OrderCancelled = z.infer<typeof OrderCancelled>;

export const OrderRefunded = eventSchema('OrderRefunded', z.strictObject({ orderId: z.uuid(), amountCents: CentsTotal, refundedAt: Timestamp }));
export type OrderRefunded = z.infer<typeof OrderRefunded>;

/** Every order event, as a discriminated union on `type`. The zod schema is the source of truth. */
export const OrderEvent = z.discriminatedUnion('type', [OrderPlaced, OrderPaid, OrderShipped, OrderCancelled, OrderRefunded]);
export type OrderEvent = z.infer<typeof OrderEvent>;
export type OrderEventType = OrderEvent['type'];

/** Schema version of each event type as written today (all at 1); older versions are upcast on read. */
export const ORDER_EVENT_VERSIONS = schemaVersions(OrderEvent);
