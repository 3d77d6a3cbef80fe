import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { shopRequests } from '@shop/client';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { applySchema, createPool, PostgresEventStore, type NewEvent } from '@shop/kernel';
import { createProjectorMetrics, PROJECTIONS, ProjectionRunner } from '@shop/projector';
import { createLogger } from '@shop/service-kit';
import type { Measurement } from '../figures.js';
import { cpuSeconds } from '../memory.js';
import { withFreshDatabase } from '../postgres.js';
import { startNodeService, type RunningService } from '../processes.js';
import { BENCH_JWT_PUBLIC_KEY } from '../shop-api.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';

const ROUNDS = 3;
const PRODUCTS = 1_000;
const CONNECTIONS = 50;
const WARMUP_SECONDS = 3;
const MEASURE_SECONDS = 20;
/** Words the product descriptions are made of: a search for one matches about 1 product in 13. */
const WORDS = ['amber', 'birch', 'cobalt', 'denim', 'ember', 'flint', 'garnet', 'hazel', 'indigo', 'jade', 'khaki', 'linen', 'maple', 'navy', 'ochre',
  'pearl', 'quartz', 'russet', 'slate', 'teal', 'umber', 'violet', 'walnut', 'xenon', 'yarrow', 'zinc', 'copper', 'silver', 'golden', 'ivory', 'onyx',
  'ruby', 'sage', 'topaz', 'ash', 'cedar', 'dune', 'frost', 'glacier'];
const QUERY_SERVICE = fileURLToPath(new URL('../../../query-service/dist/main.js', import.meta.url));
const HELLO_EXPRESS = fileURLToPath(new URL('./query/hello-express.js', import.meta.url));
const HELLO_NODE = fileURLToPath(new URL('./query/hello-node.js', import.meta.url));
/** A Redis database of its own on the given server, flushed before use, so the bench never touches the shop's. */
const REDIS_DB = 13;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** 1,000 products created as events and projected by the real catalog projection: the read model as in the shop. */
async function fillCatalog(databaseUrl: string): Promise<string[]> {
  const pool = createPool(databaseUrl, { max: 16 });
  try {
    await applySchema(pool);
    const store = new PostgresEventStore(pool);
    const metadata = { correlationId: 'bench', causationId: 'bench', actor: { system: 'bench' } };
    const ids = Array.from({ length: PRODUCTS }, () => randomUUID());
    const created = (productId: string, n: number): NewEvent => ({
      eventId: randomUUID(),
      type: 'ProductCreated',
      schemaVersion: 1,
      metadata,
      data: {
        productId,
        sku: `Q-${n}`,
        name: `${pick(WORDS)} ${pick(['mug', 'lamp', 'chair', 'vase', 'scarf', 'kettle'])} ${n}`,
        description: `A ${pick(WORDS)}, ${pick(WORDS)} and ${pick(WORDS)} piece for every home.`,
        priceCents: 500 + n,
        currency: 'EUR',
        initialStock: 100,
      },
    });
    for (let n = 0; n < PRODUCTS; n += 16) {
      await Promise.all(ids.slice(n, n + 16).map((id, i) => store.appendToStream(`product-${id}`, 'no_stream', [created(id, n + i)])));
    }
    const runner = new ProjectionRunner({
      pool,
      store,
      projection: PROJECTIONS.catalog!.projection,
      invalidate: async () => undefined,
      metrics: createProjectorMetrics(new Registry(), async () => ({})),
      logger: createLogger('bench', 'silent'),
    });
    await runner.loadCheckpoint();
    await runner.catchUpFromStore();
    return ids;
  } finally {
    await pool.end();
  }
}

interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
  /** The server process's own CPU (user + system) per answered request, µs: what it costs, whoever bounds the rate. */
  cpuPerRequestUs: number;
}

async function load(base: string, path: () => string, seconds: number): Promise<Omit<Load, 'cpuPerRequestUs'>> {
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: path() }) }],
  });
  return {
    requestsPerSecond: result['2xx'] / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

async function measure(context: SuiteContext, label: string, server: RunningService, path: () => string): Promise<Load> {
  await load(server.base, path, WARMUP_SECONDS);
  const pid = server.process.pid!;
  const cpuBefore = await cpuSeconds(pid);
  const result = await load(server.base, path, MEASURE_SECONDS);
  const cpuPerRequestUs = ((await cpuSeconds(pid)) - cpuBefore) * 1e6 / (result.requestsPerSecond * MEASURE_SECONDS);
  context.progress(
    `${label}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.failed} failed; server CPU ${Math.round(cpuPerRequestUs)} µs per request`,
  );
  return { ...result, cpuPerRequestUs };
}

interface Round {
  express: Load;
  node: Load;
  product: Load;
  search: Load;
}

/** One round measures all four servers one after the other, so they share the machine's state of the moment. */
async function oneRound(context: SuiteContext, round: number, query: RunningService, ids: string[]): Promise<Round> {
  context.progress(`round ${round}/${ROUNDS}`);
  // The paths are @shop/client's, built before the load starts: the load generator only picks one per request.
  const productPaths = ids.map((id) => shopRequests.getProduct(id).path);
  const searchPaths = WORDS.map((search) => shopRequests.listProducts({ search }).path);
  const express = await startNodeService(HELLO_EXPRESS, {}, '/hello');
  const node = await startNodeService(HELLO_NODE, {}, '/hello');
  try {
    return {
      express: await measure(context, 'express 5 hello world', express, () => '/hello'),
      node: await measure(context, 'node:http hello world', node, () => '/hello'),
      product: await measure(context, 'GET /api/products/:id (cached)', query, () => pick(productPaths)),
      search: await measure(context, 'GET /api/products?search=', query, () => pick(searchPaths)),
    };
  } finally {
    await Promise.all([express.stop(), node.stop()]);
  }
}

export const querySuite: Suite = {
  name: 'query',
  description: `reads through the query service (autocannon, ${CONNECTIONS} connections, ${MEASURE_SECONDS} s): a cached product and a search, vs express and node:http hello worlds`,
  run(context: SuiteContext): Promise<SuiteResult> {
    return withFreshDatabase(context.databaseUrl, `shop_bench_${process.pid}_300`, async (url) => {
      const redisUrl = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
      redisUrl.pathname = `/${REDIS_DB}`;
      let query: RunningService | undefined;
      try {
        const ids = await fillCatalog(url);
        const redis = new Redis(redisUrl.toString());
        await redis.flushdb().finally(() => redis.disconnect());
        query = await startNodeService(QUERY_SERVICE, { DATABASE_URL: url, REDIS_URL: redisUrl.toString(), JWT_PUBLIC_KEY: BENCH_JWT_PUBLIC_KEY });
        context.progress(`${PRODUCTS} products projected; query service up with Redis db ${REDIS_DB}`);
        const rounds: Round[] = [];
        for (let round = 1; round <= ROUNDS; round++) rounds.push(await oneRound(context, round, query, ids));
        const column = (pickLoad: (r: Round) => Load, value: (l: Load) => number): number[] => rounds.map((r) => value(pickLoad(r)));
        const rps = (l: Load): number => l.requestsPerSecond;
        const p99 = (l: Load): number => l.p99;
        const cpu = (l: Load): number => l.cpuPerRequestUs;
        const measurements: Measurement[] = [
          { name: 'query.product-by-id', unit: 'req/s', better: 'higher', ours: column((r) => r.product, rps), peer: column((r) => r.express, rps) },
          { name: 'query.product-by-id.p99', unit: 'ms', better: 'lower', ours: column((r) => r.product, p99), peer: column((r) => r.express, p99) },
          { name: 'query.product-by-id.vs-node-http', unit: 'req/s', better: 'higher', ours: column((r) => r.product, rps), peer: column((r) => r.node, rps) },
          { name: 'query.search', unit: 'req/s', better: 'higher', ours: column((r) => r.search, rps), peer: column((r) => r.express, rps) },
          { name: 'query.search.p99', unit: 'ms', better: 'lower', ours: column((r) => r.search, p99), peer: column((r) => r.express, p99) },
          { name: 'query.search.vs-node-http', unit: 'req/s', better: 'higher', ours: column((r) => r.search, rps), peer: column((r) => r.node, rps) },
          // What each answer costs the server itself: on 2 cores one autocannon process can bound both hello worlds.
          { name: 'query.product-by-id.cpu-per-request', unit: 'µs', better: 'lower', ours: column((r) => r.product, cpu), peer: column((r) => r.node, cpu) },
          { name: 'query.search.cpu-per-request', unit: 'µs', better: 'lower', ours: column((r) => r.search, cpu), peer: column((r) => r.node, cpu) },
        ];
        const failed = rounds.map((r) => `${r.product.failed}/${r.search.failed}`).join(' · ');
        return {
          measurements,
          peer: 'express 5 hello world (one JSON route, same autocannon settings, same run); the .vs-node-http figures: a bare node:http hello world of the same round',
          notes: [
            `${ROUNDS} rounds; in each, one after the other: express 5 hello world, node:http hello world, the query service's GET /api/products/:id, then its search — each ${WARMUP_SECONDS} s warm-up, then ${MEASURE_SECONDS} s with autocannon at ${CONNECTIONS} connections.`,
            `The real query service (query-service/dist/main.js) in its own process, Redis cache (db ${REDIS_DB}), ${PRODUCTS} products created as events and projected by the catalog projection. Product reads pick a random id of the ${PRODUCTS} (all cached after the warm-up); searches a random word of ${WORDS.length} (≈ ${Math.round(PRODUCTS / WORDS.length * 3)} matches each, first page of 20 ranked, read from Postgres every time).`,
            `Failed answers per round (product/search): ${failed}. Load generator, service, Redis and PostgreSQL share this machine's 2 cores.`,
            'The req/s ratios are bounded by the load generator: one autocannon process on these 2 cores sends ≈ 25,000–33,000 req/s, and both hello worlds can reach that (express read above node:http in one round of 2026-12-03). query.*.cpu-per-request is the server process\'s own CPU (user + system from /proc/<pid>/stat) per answered request over the measured seconds, its peer the node:http hello world\'s: ours/peer is how many hello worlds one answer costs, whoever bounds the rate.',
          ],
        };
      } finally {
        await query?.stop();
      }
    });
  },
};
