import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { evolveProduct, initialProductState, ProductEvent, type ProductState } from '@shop/domain';
import { applySchema, createPool, PostgresEventStore, type NewEvent } from '@shop/kernel';
import { startTestNats, startTestPostgres, type TestNats, type TestPostgres } from '@shop/testing';

const PROJECTOR = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const PRODUCTS = 100;
const EVENTS = 3_000;
const KILLS = 8;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const metadata = { correlationId: 'faults', causationId: 'faults', actor: { system: 'faults' } };
const newEvent = (event: ProductEvent): NewEvent => ({ eventId: randomUUID(), type: event.type, schemaVersion: 1, data: event.data, metadata });

/**
 * kill -9 the projector (relay and catalog projection in one process) again and again while 3,000 events are
 * appended; after the last restart the catalog must equal an oracle folded straight from the store with the
 * domain's own evolveProduct. Real Postgres, real NATS JetStream, the real projector process.
 */
describe('the projector killed with SIGKILL mid-stream', () => {
  let database: TestPostgres;
  let bus: TestNats;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let projector: ChildProcess | undefined;
  let port: number;

  const startProjector = (): ChildProcess =>
    spawn(process.execPath, [PROJECTOR], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: database.url,
        NATS_URL: bus.url,
        NATS_STREAM: `${bus.namespace}_EVENTS`,
        NATS_SUBJECT_PREFIX: bus.namespace,
        REDIS_URL: '',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });

  const kill = async (child: ChildProcess | undefined): Promise<void> => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    [database, bus] = await Promise.all([startTestPostgres(), startTestNats()]);
    pool = createPool(database.url, { max: 10 });
    await applySchema(pool);
    store = new PostgresEventStore(pool);
    port = await freePort();
  }, 60_000);

  afterAll(async () => {
    await kill(projector);
    await pool.end();
    await Promise.all([database.stop(), bus.stop()]);
  });

  it('ends with a catalog equal to the oracle, every event applied exactly once', async () => {
    const productIds = Array.from({ length: PRODUCTS }, () => randomUUID());
    const versions = new Map<string, bigint>();
    const append = async (productId: string, event: ProductEvent): Promise<void> => {
      const version = versions.get(productId) ?? 0n;
      const { nextVersion } = await store.appendToStream(`product-${productId}`, version === 0n ? 'no_stream' : version, [newEvent(event)]);
      versions.set(productId, nextVersion);
    };

    projector = startProjector();
    for (const [i, productId] of productIds.entries()) {
      await append(productId, {
        type: 'ProductCreated',
        data: { productId, sku: `K-${i}`, name: `Kill ${i}`, description: '', priceCents: 100 + i, currency: 'EUR', initialStock: i },
      });
    }
    const killEvery = Math.floor((EVENTS - PRODUCTS) / KILLS);
    for (let n = 0; n < EVENTS - PRODUCTS; n++) {
      const productId = productIds[n % PRODUCTS]!;
      await append(
        productId,
        n % 7 === 0
          ? { type: 'ProductRepriced', data: { productId, priceCents: 1_000 + n } }
          : { type: 'StockReceived', data: { productId, quantity: 1 + (n % 5), reason: 'delivery' } },
      );
      if (n % killEvery === killEvery - 1) {
        // At a random moment within the next few milliseconds: mid-batch, mid-publish, or idle.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20)));
        await kill(projector);
        projector = startProjector();
      }
    }

    const head = BigInt((await pool.query<{ position: string }>('SELECT max(global_position)::text AS position FROM events')).rows[0]!.position);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await pool.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE projection = 'catalog'");
      if (BigInt(rows[0]?.position ?? 0) >= head) break;
      if (Date.now() > deadline) throw new Error('the catalog did not catch up within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // The oracle: every product stream folded with the domain's evolve, straight from the store.
    const oracle = new Map<string, ProductState>();
    for (let after = 0n; ; ) {
      const batch = await store.readAll(after, 1_000);
      if (batch.length === 0) break;
      for (const event of batch) {
        const parsed = ProductEvent.parse({ type: event.type, data: event.data });
        oracle.set(parsed.data.productId, evolveProduct(oracle.get(parsed.data.productId) ?? initialProductState, parsed));
      }
      after = batch.at(-1)!.globalPosition;
    }
    const { rows } = await pool.query<{ id: string; name: string; price_cents: string; stock_available: number; version: string }>(
      'SELECT id, name, price_cents, stock_available, version FROM catalog_products',
    );
    const actual = Object.fromEntries(rows.map((r) => [r.id, { name: r.name, priceCents: Number(r.price_cents), available: r.stock_available, version: BigInt(r.version) }]));
    const expected = Object.fromEntries(
      [...oracle.entries()].map(([id, state]) => [
        id,
        state.status === 'absent' ? undefined : { name: state.name, priceCents: state.priceCents, available: state.available, version: versions.get(id)! },
      ]),
    );
    expect(actual).toEqual(expected);
  }, 180_000);
});
