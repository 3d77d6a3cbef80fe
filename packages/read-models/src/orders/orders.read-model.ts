import { z } from 'zod';

/**
 * The orders read model: written by the projector's orders projection, read by the query service.
 * The tables are defined in 0310-orders.sql beside it; this module is the one place their shape is spelled in code.
 */
export const ORDERS_PROJECTION = 'orders';
export const ORDERS_TABLE = 'orders';
/**
 * The customers the orders projection has seen forgotten (GDPR). Part of the orders read model: an order a
 * forgotten customer places later (a race with the erasure, or a redriven dead letter) must be stored redacted
 * too, and that must not depend on how far another projection has got.
 */
export const ORDERS_FORGOTTEN_CUSTOMERS_TABLE = 'orders_forgotten_customers';

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'cancelled', 'refunded'] as const;
export type OrderStatusView = (typeof ORDER_STATUSES)[number];

const orderLineShape = {
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().min(1),
  unitPriceCents: z.number().int().min(0),
  lineTotalCents: z.number().int().min(0),
};
export const OrderLineView = z.strictObject(orderLineShape);
export type OrderLineView = z.infer<typeof OrderLineView>;

const shippingAddressShape = {
  name: z.string().min(1).optional(),
  line1: z.string().min(1),
  line2: z.string().min(1).optional(),
  city: z.string().min(1),
  postalCode: z.string().min(1),
  country: z.string().regex(/^[A-Z]{2}$/),
};
export const ShippingAddressView = z.strictObject(shippingAddressShape);
export type ShippingAddressView = z.infer<typeof ShippingAddressView>;

/** Stored jsonb documents are read through these: unknown keys are dropped, never passed on. */
const StoredLines = z.array(z.object(orderLineShape)).min(1);
const StoredShippingAddress = z.object(shippingAddressShape);

/** The public order representation: exactly the OpenAPI `Order` schema (allow-listed fields only). */
export const OrderView = z.strictObject({
  id: z.uuid(),
  customerId: z.uuid(),
  status: z.enum(ORDER_STATUSES),
  lines: z.array(OrderLineView).min(1),
  currency: z.string().length(3),
  totalCents: z.number().int().min(0),
  shippingAddress: ShippingAddressView,
  placedAt: z.iso.datetime(),
  paymentMethod: z.enum(['card', 'invoice', 'paypal']).nullable(),
  paidAt: z.iso.datetime().nullable(),
  shippedAt: z.iso.datetime().nullable(),
  cancelledAt: z.iso.datetime().nullable(),
  cancellationReason: z.string().nullable(),
  refundedAt: z.iso.datetime().nullable(),
  version: z.number().int().min(1),
});
export type OrderView = z.infer<typeof OrderView>;

/**
 * What erasure leaves of a shipping address: the recipient and the street lines go, and so do city and postal
 * code (with an order's date they narrow a person down); the country stays, for tax and sales by country. The
 * placeholders keep the address shaped like an address, so every reader's schema still holds.
 */
// The same placeholder as the domain's ERASED: an erased field reads alike in events and read models.
export const REDACTED = '[erased]';
export const REDACTED_ADDRESS_FIELDS = { line1: REDACTED, city: REDACTED, postalCode: REDACTED } as const;
export const redactShippingAddress = (address: { country: string }): ShippingAddressView => ({
  ...REDACTED_ADDRESS_FIELDS,
  country: address.country,
});
/**
 * The same redaction as a SQL expression over a jsonb address column (one definition for both: the constant
 * part is passed as a parameter, only the kept field is spelled here).
 */
export const redactedAddressSql = (column: string, redactedFieldsParam: string): string =>
  `(${redactedFieldsParam}::jsonb || jsonb_build_object('country', ${column}->'country'))`;

export interface OrderRow {
  id: string;
  customer_id: string;
  status: OrderStatusView;
  /** jsonb: the lines as sold, parsed by pg. */
  lines: unknown;
  currency: string;
  total_cents: string;
  shipping_address: unknown;
  placed_at: Date;
  payment_method: 'card' | 'invoice' | 'paypal' | null;
  paid_at: Date | null;
  shipped_at: Date | null;
  cancelled_at: Date | null;
  cancellation_reason: string | null;
  refunded_at: Date | null;
  /** Set once the customer was forgotten and this order's personal data erased. */
  customer_forgotten_at: Date | null;
  version: string;
}

export const ORDER_VIEW_COLUMNS =
  'id, customer_id, status, lines, currency, total_cents, shipping_address, placed_at, payment_method, paid_at, shipped_at, ' +
  'cancelled_at, cancellation_reason, refunded_at, customer_forgotten_at, version';

const iso = (at: Date | null): string | null => (at ? at.toISOString() : null);

/**
 * Row → view, field by field: jsonb columns are parsed through the view's own schemas, so a stray key in the
 * stored document can never leak into a response.
 */
export function toOrderView(row: OrderRow): OrderView {
  const lines = StoredLines.parse(row.lines);
  const address = StoredShippingAddress.parse(row.shipping_address);
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    lines: lines.map(({ productId, sku, name, quantity, unitPriceCents, lineTotalCents }) => ({
      productId,
      sku,
      name,
      quantity,
      unitPriceCents,
      lineTotalCents,
    })),
    currency: row.currency,
    totalCents: Number(row.total_cents),
    shippingAddress: {
      ...(address.name === undefined ? {} : { name: address.name }),
      line1: address.line1,
      ...(address.line2 === undefined ? {} : { line2: address.line2 }),
      city: address.city,
      postalCode: address.postalCode,
      country: address.country,
    },
    placedAt: row.placed_at.toISOString(),
    paymentMethod: row.payment_method,
    paidAt: iso(row.paid_at),
    shippedAt: iso(row.shipped_at),
    cancelledAt: iso(row.cancelled_at),
    cancellationReason: row.cancellation_reason,
    refundedAt: iso(row.refunded_at),
    version: Number(row.version),
  };
}

/** Redis keys the projector invalidates and the query service reads: one definition for both sides. */
export const ORDERS_CACHE_PREFIX = 'shop:orders:';
export const orderCacheKey = (orderId: string): string => `${ORDERS_CACHE_PREFIX}order:${orderId}`;
/** A customer's order list (all its pages): stale whenever one of the customer's orders changes. */
export const customerOrdersCacheKey = (customerId: string): string => `${ORDERS_CACHE_PREFIX}customer:${customerId}`;
