import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { operations, type PlaceOrderRequest, type ShippingAddress } from '@shop/client';
import { applySchema, createPool } from '@shop/kernel';
import type { Measurement } from '../figures.js';
import { rssMeasurements, type RssSample } from '../memory.js';
import { withFreshDatabase } from '../postgres.js';
import { startNodeService, type RunningService } from '../processes.js';
import { BENCH_JWT_PRIVATE_KEY, benchProduct, createProducts, DEV_PASSWORD, login } from '../shop-api.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';
import { GAUGE_SECONDS, healthzPerSecond } from './gauge.js';
import { packageVersion } from './package-version.js';
import { storeCeiling } from './store-ceiling.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS) || 3;
const PRODUCTS = 1_000;
const LINES_PER_ORDER = 3;
const CONNECTIONS = 16;
const WARMUP_SECONDS = 3;
const MEASURE_SECONDS = Number(process.env.BENCH_COMMANDS_SECONDS) || 15;
const CEILING_SECONDS = 10;
const COMMAND_SERVICE = fileURLToPath(new URL('../../../command-service/dist/main.js', import.meta.url));
const EMMETT_PEER = fileURLToPath(new URL('../../../emmett-peer/dist/main.js', import.meta.url));

/** The real command service, as `npm start` runs it, in its own process: the figure includes HTTP and JSON. */
const startCommandService = (databaseUrl: string): Promise<RunningService> =>
  startNodeService(COMMAND_SERVICE, {
    DATABASE_URL: databaseUrl,
    JWT_PRIVATE_KEY: BENCH_JWT_PRIVATE_KEY,
    DEV_USERS_PASSWORD: DEV_PASSWORD,
    // One benchmark client sends every order: the per-client limits must not be what is measured.
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_PER_SECOND: '1000000',
  });

const address: ShippingAddress = { name: 'Bench', line1: '1 Bench Road', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' };

/** A PlaceOrderRequest of @shop/client, serialised here: autocannon sends strings, and the figure must not change. */
export function orderBody(products: readonly string[]): string {
  const picked = new Set<string>();
  while (picked.size < LINES_PER_ORDER) picked.add(products[Math.floor(Math.random() * products.length)]!);
  const order: PlaceOrderRequest = { lines: [...picked].map((productId) => ({ productId, quantity: 1 })), shippingAddress: address };
  return JSON.stringify(order);
}

/** Where and how one app takes an order: ours with a token and a fresh Idempotency-Key each, the peer as it is. */
interface OrderTarget {
  base: string;
  path: string;
  headers: Record<string, string>;
  /** Headers that differ per order. */
  perOrder?: () => Record<string, string>;
}

function placeOrders(target: OrderTarget, products: string[], seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: target.base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: { 'content-type': 'application/json', ...target.headers },
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...target.perOrder?.() }, body: orderBody(products) }),
      },
    ],
  });
}

interface Placing {
  ordersPerSecond: number;
  p99: number;
  p50: number;
  failed: number;
  rss: RssSample;
}

/** Warm-up, then the measured run; RSS after the warm-up and after the run. */
async function measurePlacing(service: RunningService, target: OrderTarget, products: string[]): Promise<Placing> {
  await placeOrders(target, products, WARMUP_SECONDS);
  const warm = await service.rss();
  const result = await placeOrders(target, products, MEASURE_SECONDS);
  return {
    ordersPerSecond: result['2xx'] / MEASURE_SECONDS,
    p99: result.latency.p99,
    p50: result.latency.p50,
    failed: result.non2xx + result.errors + result.timeouts,
    rss: { warm, end: await service.rss() },
  };
}

const describePlacing = (p: Placing): string =>
  `${Math.round(p.ordersPerSecond)} orders/s, p50 ${p.p50} ms, p99 ${p.p99} ms, ${p.failed} failed, RSS ${p.rss.warm.toFixed(0)} → ${p.rss.end.toFixed(0)} MB`;

interface OursRound extends Placing {
  healthz: number;
}

function oursRound(context: SuiteContext, round: number): Promise<OursRound> {
  return withFreshDatabase(context.databaseUrl, `shop_bench_${process.pid}_${100 + round}`, async (url) => {
    let service: RunningService | undefined;
    try {
      const pool = createPool(url, { max: 1 });
      await applySchema(pool).finally(() => pool.end());
      const started = await startCommandService(url);
      service = started;
      const admin = await login(started.base, 'admin@shop.local');
      const products = await createProducts(started.base, admin, PRODUCTS, CONNECTIONS);
      context.progress(`round ${round}/${ROUNDS} ours: ${products.length} products created; warming up ${WARMUP_SECONDS} s`);
      const shopper = await login(started.base, 'shopper@shop.local');
      const placing = await measurePlacing(
        started,
        { base: started.base, path: operations.placeOrder.path, headers: { authorization: `Bearer ${shopper}` }, perOrder: () => ({ 'idempotency-key': randomUUID() }) },
        products,
      );
      const healthz = await healthzPerSecond(started.base);
      context.progress(`round ${round}/${ROUNDS} ours: ${describePlacing(placing)}; gauge ${Math.round(healthz)} GET /healthz per s`);
      return { ...placing, healthz };
    } finally {
      await service?.stop();
    }
  });
}

/** Creates the products through the peer's own API, `CONNECTIONS` at a time, with the bodies ours gets. */
async function createPeerProducts(base: string): Promise<string[]> {
  const ids: string[] = new Array<string>(PRODUCTS);
  const create = async (n: number): Promise<void> => {
    const response = await fetch(`${base}/products`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(benchProduct(n)) });
    if (response.status !== 201) throw new Error(`the Emmett peer answered ${response.status} to creating a product: ${await response.text()}`);
    ids[n] = ((await response.json()) as { id: string }).id;
  };
  for (let n = 0; n < PRODUCTS; n += CONNECTIONS) await Promise.all(Array.from({ length: Math.min(CONNECTIONS, PRODUCTS - n) }, (_, i) => create(n + i)));
  return ids;
}

/** The Emmett peer (emmett-peer/), in its own process on a fresh database: the same products, orders and load. */
function peerRound(context: SuiteContext, round: number): Promise<Placing> {
  return withFreshDatabase(context.databaseUrl, `shop_bench_${process.pid}_${150 + round}`, async (url) => {
    const peer = await startNodeService(EMMETT_PEER, { DATABASE_URL: url }, '/health');
    try {
      const products = await createPeerProducts(peer.base);
      context.progress(`round ${round}/${ROUNDS} Emmett: ${products.length} products created; warming up ${WARMUP_SECONDS} s`);
      const placing = await measurePlacing(peer, { base: peer.base, path: `/customers/${randomUUID()}/orders`, headers: {} }, products);
      context.progress(`round ${round}/${ROUNDS} Emmett: ${describePlacing(placing)}`);
      return placing;
    } finally {
      await peer.stop();
    }
  });
}

/** The store's own ceiling for the same orders, on a fresh database of its own, with the command service stopped. */
function storeCeilingRound(context: SuiteContext, round: number): Promise<number> {
  return withFreshDatabase(context.databaseUrl, `shop_bench_${process.pid}_${200 + round}`, async (url) => {
    const ordersPerSecond = await storeCeiling(url, { placers: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: CEILING_SECONDS });
    context.progress(`round ${round}/${ROUNDS}: the event store alone (no HTTP): ${Math.round(ordersPerSecond)} orders/s`);
    return ordersPerSecond;
  });
}

export const commandsSuite: Suite = {
  name: 'commands',
  description: `orders placed per second through the command service (HTTP, ${CONNECTIONS} connections, ${LINES_PER_ORDER}-line orders over ${PRODUCTS} products), against an Emmett app and the store's own ceiling`,
  async run(context: SuiteContext): Promise<SuiteResult> {
    const ours: OursRound[] = [];
    const peer: Placing[] = [];
    const ceilings: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Which app goes first alternates, so neither always meets a warmer (or busier) server.
      if (round % 2 === 1) {
        ours.push(await oursRound(context, round));
        peer.push(await peerRound(context, round));
      } else {
        peer.push(await peerRound(context, round));
        ours.push(await oursRound(context, round));
      }
      ceilings.push(await storeCeilingRound(context, round));
    }
    const column = (rounds: readonly Placing[], value: (p: Placing) => number): number[] => rounds.map(value);
    const measurements: Measurement[] = [
      { name: 'commands.place-order', unit: 'orders/s', better: 'higher', ours: column(ours, (p) => p.ordersPerSecond), peer: column(peer, (p) => p.ordersPerSecond) },
      { name: 'commands.place-order.p99', unit: 'ms', better: 'lower', ours: column(ours, (p) => p.p99), peer: column(peer, (p) => p.p99) },
      { name: 'commands.place-order.p50', unit: 'ms', better: 'lower', ours: column(ours, (p) => p.p50), peer: column(peer, (p) => p.p50) },
      // ours / the store alone, both medians of the same rounds: how much of the store's ceiling the service reaches.
      { name: 'commands.place-order.vs-store-ceiling', unit: 'orders/s', better: 'higher', ours: column(ours, (p) => p.ordersPerSecond), peer: ceilings },
      { name: 'commands.gauge.healthz', unit: 'req/s', better: 'higher', ours: ours.map((r) => r.healthz) },
      { name: 'commands.ceiling.store', unit: 'orders/s', better: 'higher', ours: ceilings },
      ...rssMeasurements('commands', 'command-service', ours.map((r) => r.rss), peer.map((p) => p.rss)),
    ];
    const emmett = `Emmett ${packageVersion('@event-driven-io/emmett-postgresql')} (emmett-expressjs ${packageVersion('@event-driven-io/emmett-expressjs', '../../../emmett-peer/')})`;
    return {
      measurements,
      peer: `${emmett}: emmett-peer/, an app on \`@event-driven-io/emmett-expressjs\` and \`getPostgreSQLEventStore\` placing the same orders its own way; \`.vs-store-ceiling\`: \`commands.ceiling.store\` of the same rounds`,
      gauge: { name: 'commands.gauge.healthz', unit: 'req/s', rounds: ours.map((r) => r.healthz) },
      notes: [
        `${ROUNDS} rounds, each app on a fresh database: the real command service (command-service/dist/main.js) and the Emmett peer (emmett-peer/dist/main.js) each in its own process, ${PRODUCTS} products created through each one's API, then autocannon with ${CONNECTIONS} connections POSTing orders for ${MEASURE_SECONDS} s after a ${WARMUP_SECONDS} s warm-up. Which app goes first alternates by round.`,
        `Each order: ${LINES_PER_ORDER} distinct random products, quantity 1, the same JSON body for both. Ours: the dev shopper's token (verified, its token version read) and a fresh Idempotency-Key (claimed in the append); the order and a StockReserved on each product are appended atomically, each product at its expected version. Emmett: no auth, no idempotency; its handler reads the 3 product streams (aggregateStream: price, stock) and appends one OrderPlaced to a new order stream through CommandHandler (read, decide, append at the expected version): it checks stock but cannot reserve it in the same append. Both on a pg pool of 20.`,
        `Only 2xx answers count as orders placed; failed answers per round, ours: ${ours.map((r) => r.failed).join(' · ')}; Emmett: ${peer.map((r) => r.failed).join(' · ')}.`,
        'Load generator, the app and PostgreSQL share this machine\'s cores.',
        `commands.ceiling.store: after each round, with the apps stopped, the Postgres event store alone in the benchmark process places the same orders (${CONNECTIONS} concurrent placers, ${LINES_PER_ORDER} products each at its expected version, the idempotency key claimed in the append) for ${CEILING_SECONDS} s on a fresh database: no HTTP, no express, no answer written. No command service places orders faster than this on the same machine; commands.place-order.vs-store-ceiling is ours against it (target ≥ 0.7).`,
        `commands.gauge.healthz: GET /healthz of the command service for ${GAUGE_SECONDS} s after each of its rounds, same connections, no I/O: a gauge of this machine's speed (no target). Compare orders/s across machines only against it.`,
        `commands.command-service.rss: the service's resident memory (VmRSS) after the warm-up and after the measured run, growth = end / warm (target ≤ 1.10); the peer column is the Emmett app's.`,
        ...(MEASURE_SECONDS !== 15 || ROUNDS !== 3
          ? [`BENCH_COMMANDS_SECONDS / BENCH_ROUNDS overrode the run to ${ROUNDS} rounds of ${MEASURE_SECONDS} s: a check of the suite, never figures to keep.`]
          : []),
      ],
    };
  },
};
