import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { applySchema, createPool, PostgresEventStore, type NewEvent } from '@shop/kernel';
import { createProjectorMetrics, PROJECTIONS, ProjectionRunner, rebuildProjection } from '@shop/projector';
import { createLogger } from '@shop/service-kit';
import type { Measurement } from '../figures.js';
import { createDatabase, databaseUrlFor, dropDatabase } from '../postgres.js';
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

async function oneRound(context: SuiteContext, round: number): Promise<{ catchUp: number; rebuild: number }> {
  const database = `shop_bench_${process.pid}_${200 + round}`;
  await createDatabase(context.databaseUrl, database);
  const pool = createPool(databaseUrlFor(context.databaseUrl, database), { max: 20 });
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
    context.progress(`round ${round}/${ROUNDS}: catch-up ${Math.round(catchUp)} events/s, rebuild ${Math.round(rebuild)} events/s (identical)`);
    return { catchUp, rebuild };
  } finally {
    await pool.end();
    await dropDatabase(context.databaseUrl, database);
  }
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
    ];
    return {
      measurements,
      notes: [
        `${ROUNDS} rounds, each on a fresh database: ${PRODUCTS.toLocaleString('en-US')} products × ${EVENTS_PER_PRODUCT} events appended by ${WRITERS} writers (not measured), then:`,
        'projector.catch-up: the catalog projection following the store from position 0 (batches of 500, read model and checkpoint in one transaction per batch: the path a projection takes after downtime). Not yet the JetStream-fed throughput issue 5 asks for.',
        'projector.rebuild: `rebuildProjection` into a shadow table (set-based per batch), digest compared with the live table (must be identical), swapped in.',
      ],
    };
  },
};
