// The Shop's HTTP contract (docs/openapi.json) as zod schemas, one per request and response body, named as the
// OpenAPI document names them (`components.schemas`). openapi.test.ts holds every one of them to the document: a
// field added, removed, renamed, made optional or retyped on one side only fails it.
//
// Response schemas are `z.object`, not strict: unknown fields are dropped, not refused, so a server that extends its
// answers, as the contract allows, breaks no client. They check types, enums and presence, not formats (a uuid is a
// string here): parsing answers is about what a caller may rely on, the server's own validation is the strict side.
// Request schemas give the callers their types; the server checks request bodies (400 with every offending field).
//
// No imports beyond zod: this module runs in the browser (the web app) as well as in Node.
import { z } from 'zod';

const Position = z.string().regex(/^\d{1,19}$/);
const Cents = z.number().int();
const Hash = z.string();

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'CAD', 'AUD', 'JPY'] as const;
export const Currency = z.enum(CURRENCIES);
export type Currency = z.infer<typeof Currency>;

export const ROLES = ['shopper', 'admin', 'auditor', 'analyst'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const PaymentMethod = z.enum(['card', 'invoice', 'paypal']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'cancelled', 'refunded'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const ShippingAddress = z.object({
  name: z.string().optional(),
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string(),
});
export type ShippingAddress = z.infer<typeof ShippingAddress>;

// Accounts

export const RegisterRequest = z.object({ email: z.string(), password: z.string(), name: z.string() });
export type RegisterRequest = z.infer<typeof RegisterRequest>;
export const RegisterResponse = z.object({ customerId: z.string() });
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const LoginRequest = z.object({ email: z.string(), password: z.string() });
export type LoginRequest = z.infer<typeof LoginRequest>;
export const LoginResponse = z.object({ token: z.string().min(1), role: Role, customerId: z.string().optional() });
export type LoginResponse = z.infer<typeof LoginResponse>;

/** The body of `POST /discontinue`, `/ship`, `/refund` and the erasure: nothing, or `{}`. */
export const EmptyRequest = z.object({});
export type EmptyRequest = z.infer<typeof EmptyRequest>;

// Catalog

export const Product = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: Cents,
  currency: Currency,
  stockAvailable: z.number().int(),
  version: z.number().int().min(1),
  status: z.enum(['active', 'discontinued']),
  /** Where the product's picture is; null: it has none (show a placeholder). */
  imageUrl: z.string().nullable(),
});
export type Product = z.infer<typeof Product>;

/** The orders `GET /api/products?sort=` takes; `relevance` only with a `search` (its default then), `name` otherwise. */
export const PRODUCT_SORTS = ['name', 'price_asc', 'price_desc', 'relevance'] as const;
export const ProductSort = z.enum(PRODUCT_SORTS);
export type ProductSort = z.infer<typeof ProductSort>;

export const ProductPage = z.object({ items: z.array(Product), nextCursor: z.string().nullable() });
export type ProductPage = z.infer<typeof ProductPage>;

/** A new product: the fields of a Product the admin chooses, the stock it starts with, and its picture if it has one. */
export const CreateProductRequest = Product.pick({ sku: true, name: true, description: true, priceCents: true, currency: true }).extend({
  initialStock: z.number().int(),
  imageUrl: z.string().optional(),
});
export type CreateProductRequest = z.infer<typeof CreateProductRequest>;
export const CreateProductResponse = z.object({ id: z.string() });
export type CreateProductResponse = z.infer<typeof CreateProductResponse>;

/** `PATCH /api/products/:id`: only the fields that change (at least one); `imageUrl: null` removes the picture. */
export const UpdateProductRequest = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  priceCents: Cents.optional(),
  imageUrl: z.string().nullable().optional(),
});
export type UpdateProductRequest = z.infer<typeof UpdateProductRequest>;
export const ProductVersionResponse = z.object({ id: z.string(), version: z.number().int() });
export type ProductVersionResponse = z.infer<typeof ProductVersionResponse>;

export const StockAdjustmentRequest = z.object({ delta: z.number().int(), reason: z.string() });
export type StockAdjustmentRequest = z.infer<typeof StockAdjustmentRequest>;
export const StockAdjustmentResponse = z.object({ id: z.string(), version: z.number().int(), stockAvailable: z.number().int() });
export type StockAdjustmentResponse = z.infer<typeof StockAdjustmentResponse>;

export const DiscontinueProductResponse = z.object({ id: z.string(), version: z.number().int(), status: z.literal('discontinued') });
export type DiscontinueProductResponse = z.infer<typeof DiscontinueProductResponse>;

// Orders

export const OrderLineRequest = z.object({ productId: z.string(), quantity: z.number().int() });
export type OrderLineRequest = z.infer<typeof OrderLineRequest>;

export const PlaceOrderRequest = z.object({ lines: z.array(OrderLineRequest), shippingAddress: ShippingAddress });
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;

/** The answer to `POST /api/orders` (and its replays): what the command side placed, not the order as read later. */
export const PlaceOrderResponse = z.object({ orderId: z.string(), status: OrderStatus, totalCents: Cents });
export type PlaceOrderResponse = z.infer<typeof PlaceOrderResponse>;

export const PayOrderRequest = z.object({ method: PaymentMethod });
export type PayOrderRequest = z.infer<typeof PayOrderRequest>;
export const CancelOrderRequest = z.object({ reason: z.string().optional() });
export type CancelOrderRequest = z.infer<typeof CancelOrderRequest>;

export const OrderTransitionResponse = z.object({ orderId: z.string(), status: OrderStatus });
export type OrderTransitionResponse = z.infer<typeof OrderTransitionResponse>;

export const OrderLine = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  unitPriceCents: Cents,
  lineTotalCents: Cents,
});
export type OrderLine = z.infer<typeof OrderLine>;

/** An order as the read model holds it; a forgotten customer's address reads `[erased]` (still an address). */
export const Order = z.object({
  id: z.string(),
  customerId: z.string(),
  status: OrderStatus,
  lines: z.array(OrderLine),
  currency: Currency,
  totalCents: Cents,
  shippingAddress: ShippingAddress,
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

export const CustomerErasureResponse = z.object({ customerId: z.string(), status: z.literal('forgotten') });
export type CustomerErasureResponse = z.infer<typeof CustomerErasureResponse>;

// Operations: the projections' dead letters and their redrive (admin)

/**
 * The projections the projector runs (the document's `ProjectionName` enum; openapi.test.ts holds the two equal): the
 * web app's dead-letter picker offers these, as it may not import @shop/read-models, where the projector's list lives.
 */
export const PROJECTION_NAMES = ['catalog', 'orders', 'customers', 'sales', 'analytics'] as const;
export const ProjectionName = z.enum(PROJECTION_NAMES);
export type ProjectionName = z.infer<typeof ProjectionName>;

/** An event a projection parked; the projection's list going empty is a redrive done. */
export const DeadLetter = z.object({
  projection: z.string(),
  globalPosition: z.string(),
  streamId: z.string(),
  eventType: z.string(),
  error: z.string(),
  attempts: z.number().int(),
  failedAt: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

export const DeadLetterPage = z.object({ items: z.array(DeadLetter), nextCursor: z.string().nullable() });
export type DeadLetterPage = z.infer<typeof DeadLetterPage>;

export const RedriveRequestResponse = z.object({ requestId: z.string() });
export type RedriveRequestResponse = z.infer<typeof RedriveRequestResponse>;

// Analytics

export const GROUPINGS = ['day', 'product'] as const;
export type GroupBy = (typeof GROUPINGS)[number];

export const SalesByDay = z.object({ day: z.string(), currency: Currency, orders: z.number().int(), units: z.number().int(), revenueCents: Cents });
export type SalesByDay = z.infer<typeof SalesByDay>;
export const SalesByProduct = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  currency: Currency,
  orders: z.number().int(),
  units: z.number().int(),
  revenueCents: Cents,
});
export type SalesByProduct = z.infer<typeof SalesByProduct>;

/** Parsed per grouping, so a table never meets a row of the other kind. */
export const SalesReport = z.discriminatedUnion('groupBy', [
  z.object({ from: z.string(), to: z.string(), groupBy: z.literal('day'), items: z.array(SalesByDay) }),
  z.object({ from: z.string(), to: z.string(), groupBy: z.literal('product'), items: z.array(SalesByProduct) }),
]);
export type SalesReport = z.infer<typeof SalesReport>;

export const TopProductsReport = z.object({ from: z.string(), to: z.string(), limit: z.number().int(), items: z.array(SalesByProduct) });
export type TopProductsReport = z.infer<typeof TopProductsReport>;

export const StockLevel = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  status: z.enum(['active', 'discontinued']),
  stockAvailable: z.number().int(),
});
export type StockLevel = z.infer<typeof StockLevel>;
export const StockPage = z.object({ items: z.array(StockLevel), nextCursor: z.string().nullable() });
export type StockPage = z.infer<typeof StockPage>;

// Audit

const Actor = z.union([z.object({ userId: z.string(), role: z.string() }), z.object({ system: z.string() })]);

export const EventMetadata = z.object({ correlationId: z.string(), causationId: z.string(), actor: Actor });
export type EventMetadata = z.infer<typeof EventMetadata>;

export const AuditEvent = z.object({
  eventId: z.string(),
  streamId: z.string(),
  streamVersion: z.number().int(),
  globalPosition: Position,
  type: z.string(),
  schemaVersion: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  metadata: EventMetadata,
  recordedAt: z.string(),
  hash: Hash,
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditEventPage = z.object({ items: z.array(AuditEvent), nextCursor: Position.nullable() });
export type AuditEventPage = z.infer<typeof AuditEventPage>;

export const AuditOrder = z.object({ asOf: z.string(), version: z.number().int(), recordedAt: z.string(), order: Order });
export type AuditOrder = z.infer<typeof AuditOrder>;

const DiffPoint = z.object({ asOf: z.string(), version: z.number().int(), recordedAt: z.string().nullable() });
export const FieldChange = z.object({
  field: z.string(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  event: z.object({ eventId: z.string(), type: z.string(), streamVersion: z.number().int(), globalPosition: Position, recordedAt: z.string() }),
});
export type FieldChange = z.infer<typeof FieldChange>;
export const AuditOrderDiff = z.object({ orderId: z.string(), from: DiffPoint, to: DiffPoint, changes: z.array(FieldChange) });
export type AuditOrderDiff = z.infer<typeof AuditOrderDiff>;

/** The first link whose hash does not recompute. */
export const BrokenLink = z.object({
  reason: z.enum(['position_gap', 'duplicate_version', 'version_gap', 'out_of_order', 'hash_mismatch', 'head_mismatch', 'head_missing']),
  streamId: z.string(),
  streamVersion: z.number().int(),
  globalPosition: Position.nullable(),
  eventId: z.string().nullable(),
  expectedHash: Hash,
  actualHash: Hash.nullable(),
  detail: z.string(),
});
export type BrokenLink = z.infer<typeof BrokenLink>;

export const LogAnchor = z.object({ position: Position, digest: Hash });
export type LogAnchor = z.infer<typeof LogAnchor>;
export const AnchorCheck = z.object({ position: Position, expected: Hash, actual: Hash.nullable(), matches: z.boolean() });
export type AnchorCheck = z.infer<typeof AnchorCheck>;

export const VerifyResult = z.object({
  ok: z.boolean(),
  eventsChecked: z.number().int(),
  throughPosition: Position,
  brokenLinks: z.number().int(),
  firstBroken: BrokenLink.optional(),
  anchor: LogAnchor,
  anchorCheck: AnchorCheck.optional(),
});
export type VerifyResult = z.infer<typeof VerifyResult>;

/** RFC 9457 problem details as the services send them (`code` is the stable part); a gateway's may lack any field. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: Array<{ path: string; message: string }>;
  currentEtag?: string;
  position?: string;
  expectedVersion?: string;
  actualVersion?: string;
}
