import { randomUUID } from 'node:crypto';

/** A write the traffic sent, and what came of it: "acknowledged" is a 2xx; anything else (or no answer) failed. */
export interface CommandRecord {
  kind: 'place' | 'pay' | 'cancel';
  path: string;
  body: unknown;
  /** Place-order only (it requires one); pay and cancel are made safe to retry by the order's own state. */
  idempotencyKey?: string;
  /** The order it is about (pay, cancel), or the one it placed once answered. */
  orderId?: string;
  /** The first answer: an HTTP status, or `no answer` (connection refused or reset, or no answer in time). */
  first: number | 'no answer';
  /** The answer after the fault was healed, for writes whose first answer was not a 2xx (see retryFailed). */
  final?: number | 'no answer';
  /** The problem code of the final answer, when it was a problem. */
  finalCode?: string;
}

export interface TrafficCounts {
  reads: number;
  readsFailed: number;
  writes: number;
  writesFailed: number;
}

const ADDRESS = { name: 'Fault Tester', line1: '1 Chaos Lane', city: 'Berlin', postalCode: '10115', country: 'DE' };
/** A request that hangs (a black-holed dependency) counts as unanswered after this; its write is retried later. */
const REQUEST_TIMEOUT_MS = 5_000;
/** Between two requests of one worker: keeps the two cores of the machine for the services. */
const THINK_MS = 15;

const isOk = (status: number | 'no answer' | undefined): boolean => typeof status === 'number' && status >= 200 && status < 300;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What the shop answers, or `no answer`. */
async function send(url: string, init: RequestInit): Promise<{ status: number | 'no answer'; body: Record<string, unknown>; headers?: Headers }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // nginx's own 502/504 pages are HTML: the status says enough.
    }
    return { status: response.status, body, headers: response.headers };
  } catch {
    return { status: 'no answer', body: {} };
  }
}

/**
 * Mixed traffic through the gateway, as shoppers make it: browse 80 % (a product page, a catalog page, an own
 * order), place 15 % (with an Idempotency-Key), pay or cancel 5 % (an order placed earlier, each order once).
 * Every write is recorded with its answer, for the invariant checker.
 */
export class Traffic {
  readonly records: CommandRecord[] = [];
  readonly counts: TrafficCounts = { reads: 0, readsFailed: 0, writes: 0, writesFailed: 0 };
  private readonly placed: string[] = [];
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly url: string,
    private readonly shopperToken: string,
    readonly productIds: readonly string[],
    private readonly concurrency: number,
  ) {}

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.concurrency }, () => this.work());
  }

  /** Resolves once every request in flight has its answer (or timed out). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    while (this.running) {
      const roll = Math.random();
      if (roll < 0.8) await this.browse();
      else if (roll < 0.95) await this.place();
      else await this.payOrCancel();
      await pause(THINK_MS);
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.shopperToken}`, ...extra };
  }

  private async browse(): Promise<void> {
    const roll = Math.random();
    const productId = this.productIds[Math.floor(Math.random() * this.productIds.length)]!;
    const orderId = this.placed.length ? this.placed[Math.floor(Math.random() * this.placed.length)] : undefined;
    const path = roll < 0.6 || !orderId ? `/api/products/${productId}` : roll < 0.9 ? '/api/products?limit=20' : `/api/orders/${orderId}`;
    const { status } = await send(`${this.url}${path}`, { headers: this.headers() });
    this.counts.reads++;
    if (!isOk(status)) this.counts.readsFailed++;
  }

  /** Places one order; also the recovery probe's write. Returns its record (and the Consistency-Token if answered). */
  async place(): Promise<{ record: CommandRecord; token?: string }> {
    const lines = [{ productId: this.productIds[Math.floor(Math.random() * this.productIds.length)]!, quantity: 1 + Math.floor(Math.random() * 2) }];
    const record: CommandRecord = { kind: 'place', path: '/api/orders', body: { lines, shippingAddress: ADDRESS }, idempotencyKey: randomUUID(), first: 'no answer' };
    this.records.push(record);
    const answer = await this.sendWrite(record);
    record.first = answer.status;
    if (isOk(answer.status)) {
      record.orderId = String(answer.body.orderId);
      this.placed.push(record.orderId);
    }
    this.counts.writes++;
    if (!isOk(answer.status)) this.counts.writesFailed++;
    return { record, token: answer.headers?.get('consistency-token') ?? undefined };
  }

  private async payOrCancel(): Promise<void> {
    const orderId = this.placed.shift();
    if (!orderId) return this.browse();
    const pay = Math.random() < 0.6;
    const record: CommandRecord = {
      kind: pay ? 'pay' : 'cancel',
      path: `/api/orders/${orderId}/${pay ? 'pay' : 'cancel'}`,
      body: pay ? { method: 'card' } : {},
      orderId,
      first: 'no answer',
    };
    this.records.push(record);
    record.first = (await this.sendWrite(record)).status;
    this.counts.writes++;
    if (!isOk(record.first)) this.counts.writesFailed++;
  }

  private sendWrite(record: CommandRecord): ReturnType<typeof send> {
    return send(`${this.url}${record.path}`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json', ...(record.idempotencyKey ? { 'idempotency-key': record.idempotencyKey } : {}) }),
      body: JSON.stringify(record.body),
    });
  }

  /**
   * After the fault is healed, a client retries every write that got no 2xx: the same key and body for a placed
   * order; the same action for pay and cancel. A retry that lands on a write still in progress (or orphaned by a
   * killed process) is tried again until the shop gives a final answer.
   */
  async retryFailed(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (const record of this.records) {
      if (isOk(record.first) || record.final !== undefined) continue;
      for (;;) {
        const answer = await this.sendWrite(record);
        const code = typeof answer.body.code === 'string' ? answer.body.code : undefined;
        const transient = answer.status === 'no answer' || answer.status >= 500 || answer.status === 429 || code === 'idempotency_request_in_progress';
        if (!transient || Date.now() > deadline) {
          record.final = answer.status;
          record.finalCode = code;
          if (record.kind === 'place' && isOk(answer.status)) record.orderId = String(answer.body.orderId);
          break;
        }
        await pause(200);
      }
    }
  }
}

export { isOk };
