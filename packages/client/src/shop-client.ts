import { ConsistencyTokens } from './consistency.js';
import type { LoginResponse, OrderLineRequest, ShippingAddress } from './contract.js';
import type { QueryOf } from './operations.js';
import { exchange, shopRequests, type Answer, type ShopRequest } from './requests.js';

export interface ShopClientOptions {
  /** The gateway, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /** A bearer token, if already logged in. */
  token?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * The Shop API for scripts, tests and services. Every write's Consistency-Token is remembered and sent with every
 * later read, so whatever this client wrote, it reads back (the query service waits, bounded, until its read model
 * has the write). One client is one session: share it where read-your-writes should hold, not across users.
 * Any operation: `client.call(shopRequests.<operation>(...))`; the common ones have methods of their own.
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

  /** Sends one request of the contract (built by `shopRequests`), its answer parsed; problems thrown as ShopProblem. */
  async call<T>(request: ShopRequest<T>): Promise<Answer<T>> {
    const { answer } = await exchange({ baseUrl: this.options.baseUrl, fetch: this.fetch, token: this.token, consistencyToken: this.tokens.current }, request);
    if (request.method !== 'GET') this.tokens.observe(answer.position);
    return answer;
  }

  async login(email: string, password: string): Promise<LoginResponse> {
    const { body } = await this.call(shopRequests.login({ email, password }));
    this.token = body.token;
    return body;
  }

  /** Logs out: the server revokes every token of this account (all its sessions), and this client forgets its own. */
  async logout(): Promise<void> {
    await this.call(shopRequests.logout());
    this.token = undefined;
  }

  register(email: string, password: string, name: string) {
    return this.call(shopRequests.registerCustomer({ email, password, name }));
  }

  getProduct(id: string) {
    return this.call(shopRequests.getProduct(id));
  }

  listProducts(query: QueryOf<'listProducts'> = {}) {
    return this.call(shopRequests.listProducts(query));
  }

  /** Places an order; `idempotencyKey` defaults to a new UUID (pass your own to retry the same attempt safely). */
  placeOrder(lines: OrderLineRequest[], shippingAddress: ShippingAddress, idempotencyKey: string = crypto.randomUUID()) {
    return this.call(shopRequests.placeOrder({ lines, shippingAddress }, idempotencyKey));
  }

  getOrder(id: string) {
    return this.call(shopRequests.getOrder(id));
  }

  listOrders(query: QueryOf<'listOrders'> = {}) {
    return this.call(shopRequests.listOrders(query));
  }
}
