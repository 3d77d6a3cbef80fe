import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';

/** Who the traffic acts as and on what: tokens and product ids made before it starts. */
export interface TrafficCast {
  base: string;
  adminToken: string;
  shopperTokens: string[];
  productIds: string[];
}

/** What one window of traffic did (the sampler takes it and starts a new one). */
export interface TrafficWindow {
  latenciesMs: number[];
  errors: number;
  /** A few error descriptions (status and path), to say what failed. */
  errorSamples: string[];
}

const address = { name: 'Soak Shopper', line1: '1 Long Road', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' };

/**
 * The mix, per 20 requests: 12 product reads by id, 2 catalog pages, 1 read of a recent order, 4 orders placed
 * (Idempotency-Key, one unit of a random product), 1 stock receipt. Reads go to the query instances, writes to the
 * command instances, all through the gateway.
 */
const MIX = ['product', 'product', 'product', 'order', 'product', 'product', 'list', 'product', 'product', 'receipt', 'product', 'order', 'product', 'product', 'read-order', 'product', 'order', 'list', 'product', 'order'] as const;
type Kind = (typeof MIX)[number];
const EXPECTED: Record<Kind, number> = { product: 200, list: 200, 'read-order': 200, order: 201, receipt: 200 };

/**
 * Open-loop traffic at a set rate: every tick sends every request due by then, each timed from its due moment (so
 * a slow answer never lowers the rate, and queueing shows in the latency). Runs until `stop()`.
 */
export class Traffic {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512 });
  private readonly url: URL;
  private window: TrafficWindow = { latenciesMs: [], errors: 0, errorSamples: [] };
  private sent = 0;
  /** Each start() begins a new generation; a loop runs while its generation is the current one. */
  private generation = 0;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly recentOrders: string[] = [];

  constructor(private readonly cast: TrafficCast) {
    this.url = new URL(cast.base);
  }

  /** Starts (or changes) the rate; requests/s. */
  start(rate: number): void {
    this.loop = this.run(rate, ++this.generation);
  }

  /** Takes the window so far and starts a new one. */
  take(): TrafficWindow {
    const taken = this.window;
    this.window = { latenciesMs: [], errors: 0, errorSamples: [] };
    return taken;
  }

  /** Stops sending and waits for the answers still out. */
  async stop(): Promise<void> {
    this.generation++;
    await this.loop;
    await Promise.all(this.inFlight);
  }

  close(): void {
    this.agent.destroy();
  }

  private async run(rate: number, generation: number): Promise<void> {
    const started = performance.now();
    let sentHere = 0;
    while (this.generation === generation) {
      const due = Math.floor(((performance.now() - started) * rate) / 1_000);
      while (sentHere < due) {
        const dueAt = started + (sentHere * 1_000) / rate;
        sentHere++;
        const kind = MIX[this.sent++ % MIX.length]!;
        const done = this.send(kind, dueAt);
        this.inFlight.add(done);
        void done.finally(() => this.inFlight.delete(done));
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(Math.random() * list.length)]!;
  }

  private async send(kind: Kind, dueAt: number): Promise<void> {
    const { path, method, token, body, key, consistencyToken } = this.requestFor(kind);
    try {
      const answer = await this.call(method, path, token, body, key, consistencyToken);
      const latency = performance.now() - dueAt;
      if (answer.status === EXPECTED[kind]) {
        this.window.latenciesMs.push(latency);
        if (kind === 'order' && answer.orderId) {
          // Read back as a shopper's page does: with the Consistency-Token its order was answered with.
          this.recentOrders.push(`${answer.orderId} ${token} ${answer.consistencyToken ?? '0'}`);
          if (this.recentOrders.length > 500) this.recentOrders.shift();
        }
        return;
      }
      this.fail(`${answer.status} ${method} ${path.replace(/[0-9a-f-]{36}/g, ':id')}`);
    } catch (error) {
      this.fail(`${method} ${path.replace(/[0-9a-f-]{36}/g, ':id')}: ${(error as Error).message}`);
    }
  }

  private fail(what: string): void {
    this.window.errors++;
    if (this.window.errorSamples.length < 5) this.window.errorSamples.push(what);
  }

  private requestFor(kind: Kind): { path: string; method: string; token?: string; body?: string; key?: string; consistencyToken?: string } {
    switch (kind) {
      case 'product':
        return { method: 'GET', path: `/api/products/${this.pick(this.cast.productIds)}` };
      case 'list':
        return { method: 'GET', path: '/api/products?limit=20' };
      case 'read-order': {
        if (this.recentOrders.length === 0) return { method: 'GET', path: `/api/products/${this.pick(this.cast.productIds)}` };
        const [orderId, token, consistencyToken] = this.pick(this.recentOrders).split(' ') as [string, string, string];
        return { method: 'GET', path: `/api/orders/${orderId}`, token, consistencyToken };
      }
      case 'order':
        return {
          method: 'POST',
          path: '/api/orders',
          token: this.pick(this.cast.shopperTokens),
          body: JSON.stringify({ lines: [{ productId: this.pick(this.cast.productIds), quantity: 1 }], shippingAddress: address }),
          key: randomUUID(),
        };
      case 'receipt':
        return {
          method: 'POST',
          path: `/api/products/${this.pick(this.cast.productIds)}/stock`,
          token: this.cast.adminToken,
          body: JSON.stringify({ delta: 1, reason: 'soak delivery' }),
        };
      default: {
        const never: never = kind;
        throw new TypeError(`unknown request kind ${String(never)}`);
      }
    }
  }

  private call(method: string, path: string, token?: string, body?: string, key?: string, consistencyToken?: string): Promise<{ status: number; orderId?: string; consistencyToken?: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (key) headers['idempotency-key'] = key;
      if (consistencyToken) headers['consistency-token'] = consistencyToken;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = httpRequest({ agent: this.agent, host: this.url.hostname, port: this.url.port, path, method, headers, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (method === 'POST' && path === '/api/orders' && status === 201) {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { orderId?: unknown };
            const consistency = res.headers['consistency-token'];
            resolve({
              status,
              ...(typeof parsed.orderId === 'string' ? { orderId: parsed.orderId } : {}),
              ...(typeof consistency === 'string' ? { consistencyToken: consistency } : {}),
            });
          } else {
            resolve({ status });
          }
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timed out after 30 s')));
      req.on('error', reject);
      req.end(body);
    });
  }
}
