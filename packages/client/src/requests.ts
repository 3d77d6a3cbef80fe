import type { z } from 'zod';
import type { PaymentMethod, Problem } from './contract.js';
import { operations, type OperationName, type QueryOf, type RequestOf, type ResponseOf } from './operations.js';

/** One call of one operation, ready to send: what every user of the API (scripts, web app, bench) builds it from. */
export interface ShopRequest<T> {
  operation: OperationName;
  method: string;
  /** Path and query string, e.g. `/api/products?limit=20`. */
  path: string;
  body?: unknown;
  headers: Record<string, string>;
  /** Parses the success body; undefined for an operation that answers none. */
  response: z.ZodType<T> | undefined;
}

/** An RFC 9457 problem answered by the API, with its stable `code`. */
export class ShopProblem extends Error {
  override readonly name = 'ShopProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: Problem & Record<string, unknown>,
  ) {
    super(`${status} ${code}${typeof body.detail === 'string' ? `: ${body.detail}` : ''}`);
  }
}

/**
 * An answer outside the contract: a body that is not JSON (a proxy's HTML page), or a success whose body does not
 * match the operation's schema (`issues` says where).
 */
export class ShopResponseError extends Error {
  override readonly name = 'ShopResponseError';
  constructor(
    readonly kind: 'not_json' | 'not_the_contract',
    readonly status: number,
    readonly text: string,
    readonly issues: z.core.$ZodIssue[] = [],
  ) {
    super(kind === 'not_json' ? `HTTP ${status} with a body that is not JSON` : `HTTP ${status} with a body outside the contract${where(issues)}`);
  }
}

/** ` at lines.0.sku` for the first issue's path, or nothing. */
export function where(issues: readonly z.core.$ZodIssue[]): string {
  const path = issues[0]?.path ?? [];
  return path.length ? ` at ${path.map(String).join('.')}` : '';
}

/** A response's body with the headers a caller may want (ETag, positions). */
export interface Answer<T> {
  body: T;
  status: number;
  etag?: string;
  /** The read model position the answer reflects (reads) or the write's position, its Consistency-Token (writes). */
  position?: string;
}

function request<K extends OperationName>(
  name: K,
  parts: { params?: Record<string, string>; query?: QueryOf<K>; body?: RequestOf<K>; headers?: Record<string, string> } = {},
): ShopRequest<ResponseOf<K>> {
  const operation = operations[name];
  const path = operation.path.replace(/\{(\w+)\}/g, (_, param: string) => encodeURIComponent(parts.params?.[param] ?? ''));
  return {
    operation: name,
    method: operation.method,
    path: `${path}${queryString(parts.query ?? {})}`,
    ...(parts.body === undefined ? {} : { body: parts.body }),
    headers: parts.headers ?? {},
    response: ('response' in operation ? operation.response : undefined) as z.ZodType<ResponseOf<K>> | undefined,
  };
}

function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Every operation as a function of what it needs. The bodies of `discontinue`, `ship`, `refund`, the erasure and a
 * redrive are `{}`, the body the contract's EmptyRequest allows.
 */
export const shopRequests = {
  registerCustomer: (body: RequestOf<'registerCustomer'>) => request('registerCustomer', { body }),
  login: (body: RequestOf<'login'>) => request('login', { body }),
  /** Revokes every token of the account (all its sessions), not only the caller's. */
  logout: () => request('logout'),

  listProducts: (query: QueryOf<'listProducts'> = {}) => request('listProducts', { query }),
  getProduct: (id: string) => request('getProduct', { params: { id } }),
  createProduct: (body: RequestOf<'createProduct'>) => request('createProduct', { body }),
  /** `ifMatch`: the ETag read; a product changed since answers 412 and nothing is written. */
  updateProduct: (id: string, ifMatch: string, body: RequestOf<'updateProduct'>) => request('updateProduct', { params: { id }, body, headers: { 'If-Match': ifMatch } }),
  adjustStock: (id: string, body: RequestOf<'adjustStock'>) => request('adjustStock', { params: { id }, body }),
  discontinueProduct: (id: string) => request('discontinueProduct', { params: { id }, body: {} }),

  listOrders: (query: QueryOf<'listOrders'> = {}) => request('listOrders', { query }),
  getOrder: (id: string) => request('getOrder', { params: { id } }),
  /** `idempotencyKey`: one per attempt; a retry of the same attempt sends the same key and is answered the same. */
  placeOrder: (body: RequestOf<'placeOrder'>, idempotencyKey: string) => request('placeOrder', { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  payOrder: (id: string, method: PaymentMethod) => request('payOrder', { params: { id }, body: { method } }),
  cancelOrder: (id: string, reason?: string) => request('cancelOrder', { params: { id }, body: reason ? { reason } : {} }),
  shipOrder: (id: string) => request('shipOrder', { params: { id }, body: {} }),
  refundOrder: (id: string) => request('refundOrder', { params: { id }, body: {} }),

  salesReport: (query: QueryOf<'salesReport'>) => request('salesReport', { query }),
  topProducts: (query: QueryOf<'topProducts'>) => request('topProducts', { query }),
  stockLevels: (query: QueryOf<'stockLevels'> = {}) => request('stockLevels', { query }),

  auditStream: (streamId: string, query: QueryOf<'auditStream'> = {}) => request('auditStream', { params: { stream: streamId }, query }),
  auditEvents: (query: QueryOf<'auditEvents'> = {}) => request('auditEvents', { query }),
  auditOrderAsOf: (id: string, query: QueryOf<'auditOrderAsOf'> = {}) => request('auditOrderAsOf', { params: { id }, query }),
  auditOrderDiff: (id: string, query: QueryOf<'auditOrderDiff'> = {}) => request('auditOrderDiff', { params: { id }, query }),
  verifyAuditLog: (query: QueryOf<'verifyAuditLog'> = {}) => request('verifyAuditLog', { query }),

  eraseCustomer: (customerId: string) => request('eraseCustomer', { params: { customerId }, body: {} }),

  listDeadLetters: (query: QueryOf<'listDeadLetters'> = {}) => request('listDeadLetters', { query }),
  /** Answers at once; the projection's dead-letter list going empty is the redrive done (one failing again stays listed). */
  redriveProjection: (projection: string) => request('redriveProjection', { params: { projection }, body: {} }),
};

/** Where and as whom a request goes. */
export interface Connection {
  /** The gateway, e.g. `http://localhost:8080` (in a browser: the page's origin). */
  baseUrl: string;
  fetch: typeof fetch;
  /** A bearer token, if logged in. */
  token?: string | undefined;
  /** Sent on reads only: the read waits (bounded) until its read model has this write (read-your-writes). */
  consistencyToken?: string | undefined;
  signal?: AbortSignal | undefined;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Sends `request` and reads its answer: the parsed body with its ETag and position, the raw request and response
 * beside it for callers that keep them (the web app's cache hands them to its reducers). Throws ShopProblem for an
 * error answer, ShopResponseError for a body outside the contract, and fetch's own errors when nothing answered.
 */
export async function exchange<T>(connection: Connection, request: ShopRequest<T>): Promise<{ answer: Answer<T>; request: Request; response: Response }> {
  const write = WRITE_METHODS.has(request.method);
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (connection.token) headers.authorization = `Bearer ${connection.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (!write && connection.consistencyToken) headers['consistency-token'] = connection.consistencyToken;
  const sent = new Request(new URL(request.path, connection.baseUrl), {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    ...(connection.signal ? { signal: connection.signal } : {}),
  });
  const response = await connection.fetch(sent.clone());
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ShopResponseError('not_json', response.status, text);
  }
  if (!response.ok) {
    const problem = (typeof json === 'object' && json !== null ? json : {}) as Problem & Record<string, unknown>;
    throw new ShopProblem(response.status, typeof problem.code === 'string' ? problem.code : 'unknown', problem);
  }
  let body = json as T;
  if (request.response) {
    const parsed = request.response.safeParse(json);
    if (!parsed.success) throw new ShopResponseError('not_the_contract', response.status, text, parsed.error.issues);
    body = parsed.data;
  }
  const position = response.headers.get(write ? 'consistency-token' : 'read-model-position') ?? undefined;
  const etag = response.headers.get('etag') ?? undefined;
  return {
    answer: { body, status: response.status, ...(etag ? { etag } : {}), ...(position ? { position } : {}) },
    request: sent,
    response,
  };
}
