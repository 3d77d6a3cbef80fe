import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { applySchema, connectNats, createPool, ensureEventStream, PostgresEventStore, type EventBusNames, type EventStore, type NewEvent } from '@shop/kernel';
import { createProjectorMetrics, PROJECTIONS, ProjectionRunner, rebuildProjection, Relay } from '@shop/projector';
import { createLogger } from '@shop/service-kit';
import type { Measurement } from '../figures.js';
import { withFreshDatabase } from '../postgres.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';

const ROUNDS = 3;
const PRODUCTS = 1_000;
const EVENTS_PER_PRODUCT = 50;
const WRITERS = 16;
const metadata = { correlationId: 'bench', causationId: 'bench', actor: { system: 'bench' } };

/** 50,000 product events (1,000 products: created, then 49 deliveries each), appended by 16 writers. */
async function fillStore(store: PostgresEventStore): Promise<number> {
  const products = Array.from({ length: PRODUCTS }, () => randomUUID());
  const event = (productId: string, version: number): NewEvent => ({
    eventId: randomUUID(),
    schemaVersion: 1,
    metadata,
    ...(version === 0
      ? { type: 'ProductCreated', data: { productId, sku: `B-${productId.slice(0, 8)}`, name: `Bench ${productId.slice(0, 4)}`, description: '', priceCents: 100, currency: 'EUR', initialStock: 10 } }
      : { type: 'StockReceived', data: { productId, quantity: version, reason: 'delivery' } }),
  });
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let version = 0; version < EVENTS_PER_PRODUCT; version++) {
        for (let p = writer; p < PRODUCTS; p += WRITERS) {
          await store.appendToStream(`product-${products[p]!}`, version === 0 ? 'no_stream' : BigInt(version), [event(products[p]!, version)]);
        }
      }
    }),
  );
  return PRODUCTS * EVENTS_PER_PRODUCT;
}

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

/**
 * The store as the bus-fed runner sees it in this measurement: the log hidden, so every event it applies came in
 * a JetStream batch (its store catch-up, which would otherwise win the race from position 0, finds nothing).
 */
const logHidden = (store: EventStore): EventStore =>
  new Proxy(store, { get: (target, property, receiver) => (property === 'readAll' ? async () => [] : Reflect.get(target, property, receiver) as unknown) });

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/**
 * Store → JetStream (the relay, timed on its own), then JetStream → catalog read model: the runner's durable pull
 * consumer from an empty checkpoint, batches applied as they queue, until it holds every event.
 */
async function throughJetStream(pool: pg.Pool, store: PostgresEventStore, databaseUrl: string, events: number, round: number): Promise<{ relay: number; projector: number }> {
  const nats = await connectNats(NATS_URL, 'bench');
  const names: EventBusNames = { streamName: `BENCH_${process.pid}_${round}`, subjectPrefix: `bench${process.pid}r${round}` };
  const jsm = await nats.jetstreamManager();
  const metrics = createProjectorMetrics(new Registry(), async () => ({}));
  const logger = createLogger('bench', 'silent');
  try {
    await ensureEventStream(jsm, names);
    const relay = new Relay({ pool, connectionString: databaseUrl, store, js: nats.jetstream(), names, metrics, logger, relayName: names.subjectPrefix });
    let started = performance.now();
    const relaying = relay.run();
    await until(() => relay.position >= BigInt(events));
    const relayRate = events / ((performance.now() - started) / 1_000);
    relay.stop();
    await relaying;

    const runner = new ProjectionRunner({ pool, store: logHidden(store), projection: PROJECTIONS.catalog!.projection, invalidate: async () => undefined, metrics, logger });
    started = performance.now();
    const running = runner.runFromJetStream(nats.jetstream(), jsm, names);
    await until(() => runner.position >= BigInt(events));
    const projectorRate = events / ((performance.now() - started) / 1_000);
    runner.stop();
    await running;
    return { relay: relayRate, projector: projectorRate };
  } finally {
    await jsm.streams.delete(names.streamName).catch(() => undefined);
    await nats.drain();
  }
}

function oneRound(context: SuiteContext, round: number): Promise<{ catchUp: number; rebuild: number; relay: number; throughput: number }> {
  return withFreshDatabase(context.databaseUrl, `shop_bench_${process.pid}_${200 + round}`, async (url) => {
    const pool = createPool(url, { max: 20 });
    try {
      await applySchema(pool);
      const store = new PostgresEventStore(pool);
      const events = await fillStore(store);
      const catalog = PROJECTIONS.catalog!;
      const runner = new ProjectionRunner({
        pool,
        store,
        projection: catalog.projection,
        invalidate: async () => undefined,
        metrics: createProjectorMetrics(new Registry(), async () => ({})),
        logger: createLogger('bench', 'silent'),
      });
      await runner.loadCheckpoint();
      let started = performance.now();
      await runner.catchUpFromStore();
      const catchUp = events / ((performance.now() - started) / 1_000);
      started = performance.now();
      const rebuilt = await rebuildProjection(pool, store, catalog, () => undefined);
      const rebuild = rebuilt.events / ((performance.now() - started) / 1_000);
      if (!rebuilt.identical) throw new Error('the rebuilt catalog differs from the live one: the bench refuses to report a wrong rebuild');
      const digestOfCatalog = async (): Promise<string> =>
        (await pool.query<{ digest: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) AS digest FROM ${catalog.tables[0]!} t`)).rows[0]!.digest;
      const storeFedDigest = await digestOfCatalog();
      // The bus-fed pass starts over on an empty read model and checkpoint, on the same events.
      await pool.query(`TRUNCATE ${catalog.tables.join(', ')}; DELETE FROM projection_checkpoints`);
      const bus = await throughJetStream(pool, store, url, events, round);
      if ((await digestOfCatalog()) !== storeFedDigest) throw new Error('the catalog fed through JetStream differs from the one fed from the store: the bench refuses to report it');
      context.progress(
        `round ${round}/${ROUNDS}: catch-up ${Math.round(catchUp)} events/s, rebuild ${Math.round(rebuild)} events/s (identical), relay ${Math.round(bus.relay)} events/s, JetStream-fed ${Math.round(bus.projector)} events/s (identical)`,
      );
      return { catchUp, rebuild, relay: bus.relay, throughput: bus.projector };
    } finally {
      await pool.end();
    }
  });
}

export const projectorSuite: Suite = {
  name: 'projector',
  description: `catalog projection speed from the store (${(PRODUCTS * EVENTS_PER_PRODUCT).toLocaleString('en-US')} events): live catch-up and rebuild`,
  async run(context: SuiteContext): Promise<SuiteResult> {
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round++) rounds.push(await oneRound(context, round));
    const measurements: Measurement[] = [
      { name: 'projector.catch-up', unit: 'events/s', better: 'higher', ours: rounds.map((r) => r.catchUp) },
      { name: 'projector.rebuild', unit: 'events/s', better: 'higher', ours: rounds.map((r) => r.rebuild) },
      { name: 'projector.relay', unit: 'events/s', better: 'higher', ours: rounds.map((r) => r.relay) },
      { name: 'projector.throughput', unit: 'events/s', better: 'higher', ours: rounds.map((r) => r.throughput) },
    ];
    return {
      measurements,
      notes: [
        `${ROUNDS} rounds, each on a fresh database: ${PRODUCTS.toLocaleString('en-US')} products × ${EVENTS_PER_PRODUCT} events appended by ${WRITERS} writers (not measured), then:`,
        'projector.catch-up: the catalog projection following the store from position 0 (batches of 500, read model and checkpoint in one transaction per batch: the path a projection takes after downtime).',
        `projector.relay: the relay publishing the whole log to a fresh JetStream stream (${NATS_URL}), Nats-Msg-Id = event id, acks awaited per batch of 500, checkpoint after each batch.`,
        'projector.throughput: then the catalog runner on an empty read model, fed only by its durable JetStream pull consumer (the store catch-up is hidden from it for this measurement), from its first message to the last event applied; its catalog must equal the store-fed one (digest).',
        'projector.rebuild: `rebuildProjection` into a shadow table (set-based per batch), digest compared with the live table (must be identical), swapped in.',
      ],
    };
  },
};
