import { ConsistencyTokens } from './consistency.js';

/** An RFC 9457 problem answered by the API, with its stable `code`. */
export class ShopProblem extends Error {
  override readonly name = 'ShopProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${code}${typeof body.detail === 'string' ? `: ${body.detail}` : ''}`);
  }
}

export interface ShippingAddress {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderLineRequest {
  productId: string;
  quantity: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A response's body with the headers a caller may want (ETag, positions). */
export interface Answer<T> {
  body: T;
  status: number;
  etag?: string;
  /** The read model position the answer reflects (reads) or the write's position (writes). */
  position?: string;
}

export interface ShopClientOptions {
  /** The gateway, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /** A bearer token, if already logged in. */
  token?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The Shop API for scripts, tests and services. Every write's Consistency-Token is remembered and sent with every
 * later read, so whatever this client wrote, it reads back (the query service waits, bounded, until its read model
 * has the write). One client is one session: share it where read-your-writes should hold, not across users.
 */
export class ShopClient {
  private token: string | undefined;
  private readonly tokens = new ConsistencyTokens();
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ShopClientOptions) {
    this.token = options.token;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The newest Consistency-Token this session holds. */
  get consistencyToken(): string | undefined {
    return this.tokens.current;
  }

  async login(email: string, password: string): Promise<{ token: string; role: string; customerId?: string }> {
    const { body } = await this.send<{ token: string; role: string; customerId?: string }>('POST', '/api/auth/login', { body: { email, password } });
    this.token = body.token;
    return body;
  }

  /** Logs out: the server revokes every token of this account (all its sessions), and this client forgets its own. */
  async logout(): Promise<void> {
    await this.send('POST', '/api/auth/logout');
    this.token = undefined;
  }

  register(email: string, password: string, name: string): Promise<Answer<{ customerId: string }>> {
    return this.send('POST', '/api/auth/register', { body: { email, password, name } });
  }

  getProduct<T = Record<string, unknown>>(id: string): Promise<Answer<T>> {
    return this.send('GET', `/api/products/${encodeURIComponent(id)}`);
  }

  listProducts<T = Record<string, unknown>>(query: { search?: string; cursor?: string; limit?: number } = {}): Promise<Answer<Page<T>>> {
    return this.send('GET', `/api/products${queryString(query)}`);
  }

  /** Places an order; `idempotencyKey` defaults to a new UUID (pass your own to retry the same attempt safely). */
  placeOrder(
    lines: OrderLineRequest[],
    shippingAddress: ShippingAddress,
    idempotencyKey: string = crypto.randomUUID(),
  ): Promise<Answer<{ orderId: string; status: string; totalCents: number }>> {
    return this.send('POST', '/api/orders', { body: { lines, shippingAddress }, headers: { 'Idempotency-Key': idempotencyKey } });
  }

  getOrder<T = Record<string, unknown>>(id: string): Promise<Answer<T>> {
    return this.send('GET', `/api/orders/${encodeURIComponent(id)}`);
  }

  listOrders<T = Record<string, unknown>>(query: { cursor?: string; limit?: number } = {}): Promise<Answer<Page<T>>> {
    return this.send('GET', `/api/orders${queryString(query)}`);
  }

  /** Any route: JSON in, JSON out, problems thrown as ShopProblem, Consistency-Token carried. */
  async send<T>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const write = WRITE_METHODS.has(method);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (!write && this.tokens.current) headers['consistency-token'] = this.tokens.current;
    const response = await this.fetch(new URL(path, this.options.baseUrl), {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    const body = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (!response.ok) {
      const problem = (body ?? {}) as Record<string, unknown>;
      throw new ShopProblem(response.status, typeof problem.code === 'string' ? problem.code : 'unknown', problem);
    }
    const position = response.headers.get(write ? 'consistency-token' : 'read-model-position') ?? undefined;
    if (write) this.tokens.observe(position);
    const etag = response.headers.get('etag') ?? undefined;
    return { body: body as T, status: response.status, ...(etag ? { etag } : {}), ...(position ? { position } : {}) };
  }
}

function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
