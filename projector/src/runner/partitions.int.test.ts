import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NatsConnection } from 'nats';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { connectNats, ensureEventStream, inTransaction, type EventBusNames, type NewEvent, type PostgresEventStore } from '@shop/kernel';
import { CATALOG_TABLE } from '@shop/read-models';
import { createLogger } from '@shop/service-kit';
import { createProjectorMetrics } from '../metrics.js';
import { catalogProjection, catalogProjectionInto } from '../projections/catalog/catalog.projection.js';
import { Relay } from '../relay/relay.js';
import { PROJECTIONS } from '../projections/index.js';
import { eventually as eventuallyWithin, startTestDatabaseAndBus, type TestDatabaseAndBus } from '../testing/infrastructure.js';
import { testRunner } from '../testing/runner.js';
import { partitionOf } from './partition.js';
import type { ProjectionRunner } from './projection-runner.js';
import { rebuildProjection } from './rebuild.js';

const logger = createLogger('test', 'silent');
const metadata = { correlationId: 'p', causationId: 'p', actor: { system: 'test' } };
const eventually = (check: () => Promise<boolean>): Promise<void> => eventuallyWithin(check, 20_000);

/** The catalog projection run as 2 partitions, both fed by JetStream, against one clean pass over the store. */
describe('a projection run as partitions (real Postgres and NATS JetStream)', () => {
  let infrastructure: TestDatabaseAndBus;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let nats: NatsConnection;
  let names: EventBusNames;
  const products = Array.from({ length: 40 }, () => randomUUID());

  const positionOf = async (row: string): Promise<bigint> =>
    BigInt((await pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projection = $1', [row])).rows[0]?.position ?? -1);
  const head = async (): Promise<bigint> => BigInt((await pool.query<{ head: string }>('SELECT COALESCE(max(global_position), 0) AS head FROM events')).rows[0]!.head);
  const digest = async (table: string): Promise<string> =>
    (await pool.query<{ digest: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) AS digest FROM ${table} t`)).rows[0]!.digest;

  async function appendRound(round: number): Promise<void> {
    await Promise.all(
      products.map((productId) => {
        const event: NewEvent =
          round === 0
            ? { eventId: randomUUID(), type: 'ProductCreated', schemaVersion: 1, metadata, data: { productId, sku: `P-${productId.slice(0, 8)}`, name: 'Part', description: '', priceCents: 100, currency: 'EUR', initialStock: 1 } }
            : { eventId: randomUUID(), type: 'StockReceived', schemaVersion: 1, metadata, data: { productId, quantity: round, reason: 'delivery' } };
        return store.appendToStream(`product-${productId}`, round === 0 ? 'no_stream' : BigInt(round), [event]);
      }),
    );
  }

  const partitionRunner = (index: number): ProjectionRunner => testRunner(pool, store, catalogProjection, { partition: { index, count: 2 } });

  beforeAll(async () => {
    infrastructure = await startTestDatabaseAndBus({ poolSize: 10 });
    const { bus } = infrastructure;
    ({ pool, store } = infrastructure);
    names = { streamName: `${bus.namespace}_EVENTS`, subjectPrefix: bus.namespace };
    nats = await connectNats(bus.url, 'test');
    await ensureEventStream(await nats.jetstreamManager(), names);
  }, 60_000);

  afterAll(async () => {
    await nats.drain();
    await infrastructure.stop();
  });

  it('applies each stream in exactly one partition, ends equal to one clean pass, and announces the lowest partition position', async () => {
    const relay = new Relay({ pool, connectionString: infrastructure.url, store, js: nats.jetstream(), names, metrics: createProjectorMetrics(new Registry(), async () => ({})), logger });
    const runners = [partitionRunner(0), partitionRunner(1)];
    const jsm = await nats.jetstreamManager();
    let running = [relay.run(), ...runners.map((runner) => runner.runFromJetStream(nats.jetstream(), jsm, names))];
    try {
      for (let round = 0; round < 5; round++) await appendRound(round);
      let last = await head();
      await eventually(async () => (await positionOf('catalog')) >= last);
      expect(await positionOf('catalog/0of2')).toBe(last);
      expect(await positionOf('catalog/1of2')).toBe(last);
      // Each partition has its own durable consumer.
      const durables: string[] = [];
      for await (const consumer of jsm.consumers.list(names.streamName)) durables.push(consumer.name);
      expect(durables.sort()).toEqual([`${names.subjectPrefix}-catalog-0of2`, `${names.subjectPrefix}-catalog-1of2`]);

      // One partition stops: the projection's position (what readers wait on) stays at that partition's.
      runners[1]!.stop();
      await running[2];
      const stoppedAt = await positionOf('catalog/1of2');
      await appendRound(5);
      last = await head();
      await eventually(async () => (await positionOf('catalog/0of2')) >= last);
      expect(await positionOf('catalog')).toBe(stoppedAt);
      const owned1 = products.filter((id) => partitionOf(`product-${id}`, 2) === 1);
      const stale = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${CATALOG_TABLE} WHERE id = ANY($1) AND stock_available = 1 + 1 + 2 + 3 + 4`, [owned1]);
      expect(Number(stale.rows[0]!.n)).toBe(owned1.length);

      // It comes back and catches up; the whole read model is then exactly one clean pass over the store.
      runners[1] = partitionRunner(1);
      running = [running[0]!, running[1]!, runners[1].runFromJetStream(nats.jetstream(), jsm, names)];
      await eventually(async () => (await positionOf('catalog')) >= last);
      await pool.query(`CREATE TABLE catalog_direct (LIKE ${CATALOG_TABLE} INCLUDING ALL)`);
      await inTransaction(pool, async (tx) => void (await catalogProjectionInto('catalog_direct').applyNewer!(tx, await store.readAll(0n, 10_000))));
      expect(await digest(CATALOG_TABLE)).toBe(await digest('catalog_direct'));

      // A rebuild while the partitions run compares each stream at its partition's checkpoint: identical.
      // (rebuildProjection refuses to compare while a partition is still behind the store: wait for both first.)
      await appendRound(6);
      last = await head();
      await eventually(async () => (await positionOf('catalog')) >= last);
      const rebuilt = await rebuildProjection(pool, store, PROJECTIONS.catalog!, () => undefined, 2);
      expect(rebuilt.identical).toBe(true);
    } finally {
      relay.stop();
      for (const runner of runners) runner.stop();
      await Promise.all(running);
    }
  }, 60_000);
});
