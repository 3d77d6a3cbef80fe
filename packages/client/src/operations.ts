import { z } from 'zod';
import {
  AuditEventPage,
  AuditOrder,
  AuditOrderDiff,
  CancelOrderRequest,
  CreateProductRequest,
  CreateProductResponse,
  CustomerErasureResponse,
  DeadLetterPage,
  DiscontinueProductResponse,
  EmptyRequest,
  GROUPINGS,
  LoginRequest,
  LoginResponse,
  Order,
  OrderPage,
  OrderStatus,
  OrderTransitionResponse,
  PayOrderRequest,
  PlaceOrderRequest,
  PlaceOrderResponse,
  Product,
  ProductPage,
  ProductSort,
  ProjectionName,
  ProductVersionResponse,
  RedriveRequestResponse,
  RegisterRequest,
  RegisterResponse,
  SalesReport,
  StockAdjustmentRequest,
  StockAdjustmentResponse,
  StockPage,
  TopProductsReport,
  UpdateProductRequest,
  VerifyResult,
} from './contract.js';

/**
 * One row per operation of docs/openapi.json that answers JSON, keyed by its `operationId`: method, path (the
 * document's template), the JSON body it takes, the query parameters, the headers a caller must give, and the JSON
 * body of its success. openapi.test.ts holds this table to the document, row by row and in both directions.
 */
export interface Operation {
  method: 'GET' | 'POST' | 'PATCH';
  path: `/api/${string}`;
  request?: z.ZodType;
  query?: z.ZodObject;
  /** Headers the caller sends for this operation (beyond authorization and the Consistency-Token). */
  headers?: readonly string[];
  /** Absent: the success has no body (204). */
  response?: z.ZodType;
}

const Limit = z.number().int().optional();
const Text = z.string().optional();

export const operations = {
  registerCustomer: { method: 'POST', path: '/api/auth/register', request: RegisterRequest, response: RegisterResponse },
  login: { method: 'POST', path: '/api/auth/login', request: LoginRequest, response: LoginResponse },
  logout: { method: 'POST', path: '/api/auth/logout' },

  listProducts: { method: 'GET', path: '/api/products', query: z.object({ search: Text, sort: ProductSort.optional(), cursor: Text, limit: Limit }), response: ProductPage },
  getProduct: { method: 'GET', path: '/api/products/{id}', response: Product },
  createProduct: { method: 'POST', path: '/api/products', request: CreateProductRequest, response: CreateProductResponse },
  updateProduct: { method: 'PATCH', path: '/api/products/{id}', request: UpdateProductRequest, headers: ['If-Match'], response: ProductVersionResponse },
  adjustStock: { method: 'POST', path: '/api/products/{id}/stock', request: StockAdjustmentRequest, response: StockAdjustmentResponse },
  discontinueProduct: { method: 'POST', path: '/api/products/{id}/discontinue', request: EmptyRequest, response: DiscontinueProductResponse },

  listOrders: {
    method: 'GET',
    path: '/api/orders',
    // placedFrom / placedTo: an ISO 8601 date or a date-time with Z or an offset.
    query: z.object({ status: OrderStatus.optional(), placedFrom: Text, placedTo: Text, cursor: Text, limit: Limit }),
    response: OrderPage,
  },
  getOrder: { method: 'GET', path: '/api/orders/{id}', response: Order },
  placeOrder: { method: 'POST', path: '/api/orders', request: PlaceOrderRequest, headers: ['Idempotency-Key'], response: PlaceOrderResponse },
  payOrder: { method: 'POST', path: '/api/orders/{id}/pay', request: PayOrderRequest, response: OrderTransitionResponse },
  cancelOrder: { method: 'POST', path: '/api/orders/{id}/cancel', request: CancelOrderRequest, response: OrderTransitionResponse },
  shipOrder: { method: 'POST', path: '/api/orders/{id}/ship', request: EmptyRequest, response: OrderTransitionResponse },
  refundOrder: { method: 'POST', path: '/api/orders/{id}/refund', request: EmptyRequest, response: OrderTransitionResponse },

  salesReport: { method: 'GET', path: '/api/analytics/sales', query: z.object({ from: Text, to: Text, groupBy: z.enum(GROUPINGS).optional() }), response: SalesReport },
  topProducts: { method: 'GET', path: '/api/analytics/top-products', query: z.object({ from: Text, to: Text, limit: Limit }), response: TopProductsReport },
  stockLevels: { method: 'GET', path: '/api/analytics/stock', query: z.object({ cursor: Text, limit: Limit }), response: StockPage },

  auditStream: { method: 'GET', path: '/api/audit/streams/{stream}', query: z.object({ after: Text, limit: Limit }), response: AuditEventPage },
  auditEvents: { method: 'GET', path: '/api/audit/events', query: z.object({ after: Text, limit: Limit }), response: AuditEventPage },
  auditOrderAsOf: { method: 'GET', path: '/api/audit/orders/{id}', query: z.object({ asOf: Text }), response: AuditOrder },
  auditOrderDiff: { method: 'GET', path: '/api/audit/orders/{id}/diff', query: z.object({ from: Text, to: Text }), response: AuditOrderDiff },
  verifyAuditLog: { method: 'GET', path: '/api/audit/verify', query: z.object({ anchor: Text }), response: VerifyResult },

  eraseCustomer: { method: 'POST', path: '/api/admin/customers/{customerId}/erasure', request: EmptyRequest, response: CustomerErasureResponse },

  listDeadLetters: { method: 'GET', path: '/api/admin/dead-letters', query: z.object({ projection: ProjectionName.optional(), cursor: Text, limit: Limit }), response: DeadLetterPage },
  redriveProjection: { method: 'POST', path: '/api/admin/projections/{projection}/redrive', request: EmptyRequest, response: RedriveRequestResponse },
} as const satisfies Record<string, Operation>;

export type Operations = typeof operations;
export type OperationName = keyof Operations;

/** The success body of an operation, as its schema parses it (`undefined` for a 204). */
export type ResponseOf<K extends OperationName> = Operations[K] extends { response: infer S extends z.ZodType } ? z.infer<S> : undefined;
/** The JSON body an operation takes. */
export type RequestOf<K extends OperationName> = Operations[K] extends { request: infer S extends z.ZodType } ? z.input<S> : undefined;
/** The query parameters an operation takes. */
export type QueryOf<K extends OperationName> = Operations[K] extends { query: infer S extends z.ZodType } ? z.input<S> : undefined;
