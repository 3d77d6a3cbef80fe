import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { operations, type PlaceOrderRequest, type ShippingAddress } from '@shop/client';
import { applySchema, createPool } from '@shop/kernel';
import type { Measurement } from '../figures.js';
import { withFreshDatabase } from '../postgres.js';
import { startNodeService, type RunningService } from '../processes.js';
import { BENCH_JWT_PRIVATE_KEY, createProducts, DEV_PASSWORD, login } from '../shop-api.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';
import { storeCeiling } from './store-ceiling.js';

const ROUNDS = 3;
const PRODUCTS = 1_000;
const LINES_PER_ORDER = 3;
const CONNECTIONS = 16;
const WARMUP_SECONDS = 3;
const MEASURE_SECONDS = 15;
const GAUGE_SECONDS = 5;
const CEILING_SECONDS = 10;
const COMMAND_SERVICE = fileURLToPath(new URL('../../../command-service/dist/main.js', import.meta.url));

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
function orderBody(products: string[]): string {
  const picked = new Set<string>();
  while (picked.size < LINES_PER_ORDER) picked.add(products[Math.floor(Math.random() * products.length)]!);
  const order: PlaceOrderRequest = { lines: [...picked].map((productId) => ({ productId, quantity: 1 })), shippingAddress: address };
  return JSON.stringify(order);
}

function placeOrders(base: string, token: string, products: string[], seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: operations.placeOrder.path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() }, body: orderBody(products) }),
      },
    ],
  });
}

/**
 * The machine's gauge: GET /healthz through the same process and connections, which does no I/O. Machines of this
 * kind differ by up to 2× (a quiet one, a busy one); orders/s against this figure of the same round tells a slower
 * machine from slower code.
 */
async function healthzPerSecond(base: string): Promise<number> {
  const result = await autocannon({ url: `${base}/healthz`, connections: CONNECTIONS, duration: GAUGE_SECONDS });
  return result['2xx'] / GAUGE_SECONDS;
}

interface RoundResult {
  ordersPerSecond: number;
  p99: number;
  p50: number;
  failed: number;
  healthz: number;
}

function oneRound(context: SuiteContext, round: number): Promise<RoundResult> {
  return withFreshDatabase(context.databaseUrl, `shop_bench_${process.pid}_${100 + round}`, async (url) => {
    let service: RunningService | undefined;
    try {
      const pool = createPool(url, { max: 1 });
      await applySchema(pool).finally(() => pool.end());
      const started = await startCommandService(url);
      service = started;
      const admin = await login(started.base, 'admin@shop.local');
      const products = await createProducts(started.base, admin, PRODUCTS, CONNECTIONS);
      context.progress(`round ${round}/${ROUNDS}: ${products.length} products created; warming up ${WARMUP_SECONDS} s`);
      const shopper = await login(started.base, 'shopper@shop.local');
      await placeOrders(started.base, shopper, products, WARMUP_SECONDS);
      const result = await placeOrders(started.base, shopper, products, MEASURE_SECONDS);
      const failed = result.non2xx + result.errors + result.timeouts;
      const ordersPerSecond = result['2xx'] / MEASURE_SECONDS;
      const healthz = await healthzPerSecond(started.base);
      context.progress(
        `round ${round}/${ROUNDS}: ${Math.round(ordersPerSecond)} orders/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${failed} failed; gauge ${Math.round(healthz)} GET /healthz per s`,
      );
      return { ordersPerSecond, p99: result.latency.p99, p50: result.latency.p50, failed, healthz };
    } finally {
      await service?.stop();
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
  description: `orders placed per second through the command service (HTTP, ${CONNECTIONS} connections, ${LINES_PER_ORDER}-line orders over ${PRODUCTS} products)`,
  async run(context: SuiteContext): Promise<SuiteResult> {
    const rounds: RoundResult[] = [];
    const ceilings: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      rounds.push(await oneRound(context, round));
      ceilings.push(await storeCeilingRound(context, round));
    }
    const measurements: Measurement[] = [
      { name: 'commands.place-order', unit: 'orders/s', better: 'higher', ours: rounds.map((r) => r.ordersPerSecond) },
      { name: 'commands.place-order.p99', unit: 'ms', better: 'lower', ours: rounds.map((r) => r.p99) },
      { name: 'commands.place-order.p50', unit: 'ms', better: 'lower', ours: rounds.map((r) => r.p50) },
      { name: 'commands.gauge.healthz', unit: 'req/s', better: 'higher', ours: rounds.map((r) => r.healthz) },
      { name: 'commands.ceiling.store', unit: 'orders/s', better: 'higher', ours: ceilings },
    ];
    return {
      measurements,
      notes: [
        `${ROUNDS} rounds, each on a fresh database: the real command service (command-service/dist/main.js) in its own process, ${PRODUCTS} products created through the API, then autocannon with ${CONNECTIONS} connections POSTing /api/orders for ${MEASURE_SECONDS} s after a ${WARMUP_SECONDS} s warm-up.`,
        `Each order: ${LINES_PER_ORDER} distinct random products, quantity 1, a fresh Idempotency-Key, the dev shopper's token. Only 2xx answers count as orders placed; failed answers per round: ${rounds.map((r) => r.failed).join(' · ')}.`,
        'Load generator, command service and PostgreSQL share this machine\'s 2 cores. No peer is measured for this figure (the target is absolute).',
        `commands.ceiling.store: after each round, with the command service stopped, the Postgres event store alone in the benchmark process places the same orders (${CONNECTIONS} concurrent placers, ${LINES_PER_ORDER} products each at its expected version, the idempotency key claimed in the append) for ${CEILING_SECONDS} s on a fresh database: no HTTP, no express, no answer written. No command service places orders faster than this on the same machine.`,
        `commands.gauge.healthz: GET /healthz for ${GAUGE_SECONDS} s after each round, same process and connections, no I/O: a gauge of this machine's speed (no target). Compare orders/s across machines only against it.`,
      ],
    };
  },
};
