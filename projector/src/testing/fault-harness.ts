import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from '@jest/globals';
import type pg from 'pg';
import { evolveProduct, initialProductState, ProductEvent, type ProductState } from '@shop/domain';
import type { PostgresEventStore } from '@shop/kernel';
import { freePort } from '@shop/service-kit';
import type { TestNats } from '@shop/testing';
import { startTestDatabaseAndBus, type TestDatabaseAndBus } from './infrastructure.js';
import { newEventBy } from './seeded.js';

export { freePort };

/** Helpers of the fault tests: real processes started, killed with SIGKILL, and an oracle folded from the store. */
export const PROJECTOR = fileURLToPath(new URL('../../dist/main.js', import.meta.url));


export async function killHard(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** The projector's environment for a test's own Postgres database and NATS namespace, serving on `port`. */
export const projectorEnv = (databaseUrl: string, bus: { url: string; namespace: string }, port: number): NodeJS.ProcessEnv => ({
  PORT: String(port),
  DATABASE_URL: databaseUrl,
  NATS_URL: bus.url,
  NATS_STREAM: `${bus.namespace}_EVENTS`,
  NATS_SUBJECT_PREFIX: bus.namespace,
});

/** The real projector process of a suite, on the suite's own database and bus, serving metrics on a port of its own. */
export interface ProjectorUnderTest {
  readonly pool: pg.Pool;
  readonly store: PostgresEventStore;
  readonly bus: TestNats;
  /** The running process (undefined before the first `restart`). */
  readonly process: ChildProcess | undefined;
  readonly metricsUrl: string;
  /** Kills the running process with SIGKILL, if any, and starts a new one on the same settings. */
  restart(): Promise<void>;
}

/**
 * Registers the suite's beforeAll (database, bus, port) and afterAll (the process killed, all stopped): call it in
 * the body of a `describe`. The answer is usable from the suite's tests on.
 */
export function projectorUnderTest(options: { poolSize?: number } = {}): ProjectorUnderTest {
  let infrastructure: TestDatabaseAndBus;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    infrastructure = await startTestDatabaseAndBus(options);
    port = await freePort();
    env = projectorEnv(infrastructure.url, infrastructure.bus, port);
  }, 60_000);
  afterAll(async () => {
    await killHard(child);
    await infrastructure.stop();
  });
  return {
    get pool() {
      return infrastructure.pool;
    },
    get store() {
      return infrastructure.store;
    },
    get bus() {
      return infrastructure.bus;
    },
    get process() {
      return child;
    },
    get metricsUrl() {
      return `http://127.0.0.1:${port}/metrics`;
    },
    restart: async () => {
      await killHard(child);
      child = startProjector(env);
    },
  };
}

export function startProjector(env: NodeJS.ProcessEnv): ChildProcess {
  // A fixed master key of personal data: the test databases are throwaway.
  const dataKey = Buffer.alloc(32, 0x5a).toString('base64');
  return spawn(process.execPath, [PROJECTOR], {
    env: { ...process.env, REDIS_URL: '', LOG_LEVEL: 'error', DATA_KEY_ENCRYPTION_KEY: dataKey, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}


/** Appends product events one at a time with exact expected versions, remembering each stream's version. */
export class ProductWriter {
  readonly versions = new Map<string, bigint>();
  constructor(private readonly store: PostgresEventStore) {}

  async append(productId: string, event: ProductEvent): Promise<void> {
    const version = this.versions.get(productId) ?? 0n;
    const { nextVersion } = await this.store.appendToStream(`product-${productId}`, version === 0n ? 'no_stream' : version, [newEventBy('faults', event)]);
    this.versions.set(productId, nextVersion);
  }

  /** The n-th event of the workload for one of `productIds`: mostly deliveries, every 7th a new price. */
  workloadEvent(productIds: string[], n: number): [string, ProductEvent] {
    const productId = productIds[n % productIds.length]!;
    return [
      productId,
      n % 7 === 0
        ? { type: 'ProductRepriced', data: { productId, priceCents: 1_000 + n } }
        : { type: 'StockReceived', data: { productId, quantity: 1 + (n % 5), reason: 'delivery' } },
    ];
  }

  async createProducts(count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    for (const [i, productId] of ids.entries()) {
      await this.append(productId, {
        type: 'ProductCreated',
        data: { productId, sku: `K-${i}-${productId.slice(0, 4)}`, name: `Fault ${i}`, description: '', priceCents: 100 + i, currency: 'EUR', initialStock: i },
      });
    }
    return ids;
  }
}

export async function waitForCatalog(pool: pg.Pool, timeoutMs = 60_000): Promise<void> {
  const head = BigInt((await pool.query<{ position: string }>('SELECT coalesce(max(global_position), 0)::text AS position FROM events')).rows[0]!.position);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE projection = 'catalog'");
    if (BigInt(rows[0]?.position ?? 0) >= head) return;
    if (Date.now() > deadline) throw new Error(`the catalog did not catch up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type CatalogView = Record<string, { name: string; priceCents: number; available: number; version: bigint } | undefined>;

/** The catalog as the projector built it, and as the domain says it must be: both as comparable plain objects. */
export async function catalogAndOracle(pool: pg.Pool, store: PostgresEventStore, versions: Map<string, bigint>): Promise<{ actual: CatalogView; expected: CatalogView }> {
  const oracle = new Map<string, ProductState>();
  for (let after = 0n; ; ) {
    const batch = await store.readAll(after, 1_000);
    if (batch.length === 0) break;
    for (const event of batch) {
      if (!event.streamId.startsWith('product-')) continue;
      const parsed = ProductEvent.parse({ type: event.type, data: event.data });
      oracle.set(parsed.data.productId, evolveProduct(oracle.get(parsed.data.productId) ?? initialProductState, parsed));
    }
    after = batch.at(-1)!.globalPosition;
  }
  const { rows } = await pool.query<{ id: string; name: string; price_cents: string; stock_available: number; version: string }>(
    'SELECT id, name, price_cents, stock_available, version FROM catalog_products',
  );
  const actual: CatalogView = Object.fromEntries(
    rows.map((r) => [r.id, { name: r.name, priceCents: Number(r.price_cents), available: r.stock_available, version: BigInt(r.version) }]),
  );
  const expected: CatalogView = Object.fromEntries(
    [...oracle.entries()].map(([id, state]) => [
      id,
      state.status === 'absent' ? undefined : { name: state.name, priceCents: state.priceCents, available: state.available, version: versions.get(id)! },
    ]),
  );
  return { actual, expected };
}
