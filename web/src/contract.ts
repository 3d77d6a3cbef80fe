// The HTTP contract (docs/openapi.json) as the web app reads it: every response body is parsed with these
// schemas before a component sees it (RTK Query's `responseSchema`), so a server that answers something else
// shows a readable error instead of a page rendering `undefined`. Request bodies the domain defines (the
// shipping address, payment methods, currencies) come from @shop/domain itself: the same checks as the API.
//
// Response objects are `z.object` (unknown fields are dropped, not refused) so that a server extending its
// answers, as the contract allows, does not break the app; what the app relies on is required.
import { Currency, PaymentMethod, ShippingAddress } from '@shop/domain';
import { z } from 'zod';

export { Currency, PaymentMethod, ShippingAddress };

export const ROLES = ['shopper', 'admin', 'auditor', 'analyst'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

const Cents = z.number().int();
const Position = z.string().regex(/^\d{1,19}$/);

export interface Credentials {
  email: string;
  password: string;
}

export interface Registration extends Credentials {
  name: string;
}

export const LoginResponse = z.object({ token: z.string().min(1), role: Role, customerId: z.string().optional() });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const RegisterResponse = z.object({ customerId: z.string() });
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const Product = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: Cents,
  currency: z.string(),
  stockAvailable: z.number().int(),
  version: z.number().int().min(1),
  status: z.enum(['active', 'discontinued']),
});
export type Product = z.infer<typeof Product>;

export const ProductPage = z.object({ items: z.array(Product), nextCursor: z.string().nullable() });
export type ProductPage = z.infer<typeof ProductPage>;

export interface NewProduct {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  initialStock: number;
}

/** `PATCH /api/products/:id`: only the fields that change (at least one). */
export interface ProductChanges {
  name?: string;
  description?: string;
  priceCents?: number;
}

export interface StockAdjustment {
  delta: number;
  reason: string;
}

export const CreatedProduct = z.object({ id: z.string() });
export const ProductVersion = z.object({ id: z.string(), version: z.number().int() });
export const StockAdjusted = z.object({ id: z.string(), version: z.number().int(), stockAvailable: z.number().int() });
export const Discontinued = z.object({ id: z.string(), version: z.number().int(), status: z.literal('discontinued') });

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'cancelled', 'refunded'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export interface OrderLineRequest {
  productId: string;
  quantity: number;
}

export interface PlaceOrderRequest {
  lines: OrderLineRequest[];
  shippingAddress: ShippingAddress;
}

export const PlacedOrder = z.object({ orderId: z.string(), status: OrderStatus, totalCents: Cents });
export type PlacedOrder = z.infer<typeof PlacedOrder>;

export const OrderTransition = z.object({ orderId: z.string(), status: OrderStatus });
export type OrderTransition = z.infer<typeof OrderTransition>;

export const OrderLine = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  unitPriceCents: Cents,
  lineTotalCents: Cents,
});
export type OrderLine = z.infer<typeof OrderLine>;

/** The address as the read model shows it (a forgotten customer's reads `[erased]`), so not re-validated. */
const AddressView = z.object({
  name: z.string().nullish(),
  line1: z.string(),
  line2: z.string().nullish(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string(),
});

export const Order = z.object({
  id: z.string(),
  customerId: z.string(),
  status: OrderStatus,
  lines: z.array(OrderLine),
  currency: Currency,
  totalCents: Cents,
  shippingAddress: AddressView,
  placedAt: z.string(),
  paymentMethod: PaymentMethod.nullish(),
  paidAt: z.string().nullish(),
  shippedAt: z.string().nullish(),
  cancelledAt: z.string().nullish(),
  cancellationReason: z.string().nullish(),
  refundedAt: z.string().nullish(),
  version: z.number().int().min(1),
});
export type Order = z.infer<typeof Order>;

export const OrderPage = z.object({ items: z.array(Order), nextCursor: z.string().nullable() });
export type OrderPage = z.infer<typeof OrderPage>;

export const GROUPINGS = ['day', 'product'] as const;
export type GroupBy = (typeof GROUPINGS)[number];

export const SalesByDay = z.object({ day: z.string(), currency: z.string(), orders: z.number().int(), units: z.number().int(), revenueCents: Cents });
export const SalesByProduct = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  currency: z.string(),
  orders: z.number().int(),
  units: z.number().int(),
  revenueCents: Cents,
});
export type SalesByDay = z.infer<typeof SalesByDay>;
export type SalesByProduct = z.infer<typeof SalesByProduct>;

/** Parsed per grouping, so a table never meets a row of the other kind. */
export const SalesReport = z.discriminatedUnion('groupBy', [
  z.object({ from: z.string(), to: z.string(), groupBy: z.literal('day'), items: z.array(SalesByDay) }),
  z.object({ from: z.string(), to: z.string(), groupBy: z.literal('product'), items: z.array(SalesByProduct) }),
]);
export type SalesReport = z.infer<typeof SalesReport>;

export interface SalesQuery {
  from: string;
  to: string;
  groupBy: GroupBy;
}

const Actor = z.union([z.object({ userId: z.string(), role: z.string() }), z.object({ system: z.string() })]);

export const AuditEvent = z.object({
  eventId: z.string(),
  streamId: z.string(),
  streamVersion: z.number().int(),
  globalPosition: Position,
  type: z.string(),
  schemaVersion: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.object({ correlationId: z.string(), causationId: z.string(), actor: Actor }),
  recordedAt: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditEventPage = z.object({ items: z.array(AuditEvent), nextCursor: Position.nullable() });
export type AuditEventPage = z.infer<typeof AuditEventPage>;

export const AuditOrder = z.object({ asOf: z.string(), version: z.number().int(), recordedAt: z.string(), order: Order });
export type AuditOrder = z.infer<typeof AuditOrder>;

/** The first link whose hash does not recompute; `reason` and `detail` are optional additions some servers send. */
export const BrokenLink = z.object({
  streamId: z.string(),
  streamVersion: z.number().int(),
  globalPosition: Position.nullable(),
  eventId: z.string().nullable(),
  expectedHash: z.string(),
  actualHash: z.string().nullable(),
  reason: z.string().optional(),
  detail: z.string().optional(),
});
export type BrokenLink = z.infer<typeof BrokenLink>;

export const VerifyResult = z.object({ ok: z.boolean(), eventsChecked: z.number().int(), firstBroken: BrokenLink.optional() });
export type VerifyResult = z.infer<typeof VerifyResult>;

/** RFC 9457 problem details, as sent by the services (`code` is the stable part). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: Array<{ path: string; message: string }>;
  currentEtag?: string;
}
