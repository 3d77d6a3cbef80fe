import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { operations, shopRequests } from '@shop/client';
import { connectNats } from '@shop/kernel';
import { freePort } from '@shop/service-kit';
import { renderLineChart } from '../charts/line-chart.js';
import { offerLoad, type LoadRequest, type StepResult } from '../curves/open-loop.js';
import type { Measurement } from '../figures.js';
import { rssMeasurements, type RssSample } from '../memory.js';
import { withFreshDatabase } from '../postgres.js';
import { formatValue } from '../report.js';
import { BENCH_JWT_PRIVATE_KEY, createProducts, DEV_PASSWORD, login } from '../shop-api.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';
import { orderBody } from './commands.bench.js';
import type { HostMessage } from './curves/stack-host.js';
import { healthzPerSecond } from './gauge.js';

const PRODUCTS = 1_000;
/** Offered load as fractions of the measured maximum: 10 % … 120 %. */
const STEPS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2];
const STEP_SECONDS = Number(process.env.BENCH_CURVES_STEP_SECONDS) || 5;
const WARMUP_SECONDS = 3;
const MAX_SECONDS = 5;
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
/** A Redis database of its own on the given server, flushed before use (the query suite uses 13). */
const REDIS_DB = 12;
const SERVICES = ['command-service', 'query-service', 'projector'] as const;
const STACK_HOST = fileURLToPath(new URL('./curves/stack-host.js', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

interface Host {
  base: string;
  commandBase: string;
  rss(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Starts stack-host.ts with the stack's settings as its environment; resolves once the stack is up. */
function startHost(env: Record<string, string>): Promise<Host> {
  const child: ChildProcess = fork(STACK_HOST, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const next = (kind: HostMessage['kind']): Promise<HostMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: HostMessage): void => {
        if (message.kind !== kind && message.kind !== 'failed') return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (message.kind === 'failed') reject(new Error(`the stack host failed: ${message.error}`));
        else resolve(message);
      };
      const onExit = (code: number | null): void => reject(new Error(`the stack host exited (code ${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return next('ready').then(
    (ready) => {
      if (ready.kind !== 'ready') throw new Error('unexpected answer');
      if (ready.gateway !== 'nginx') throw new Error('the curves run through nginx, and the stack started its Node gateway');
      const gateway = new URL(ready.url);
      return {
        base: `http://127.0.0.1:${gateway.port}`,
        commandBase: `http://127.0.0.1:${ready.ports.command}`,
        rss: async () => {
          const answer = next('rss');
          child.send({ kind: 'rss' });
          const message = await answer;
          return message.kind === 'rss' ? message.megabytes : {};
        },
        stop,
      };
    },
    async (error: unknown) => {
      await stop();
      throw error;
    },
  );
}

/** The most a closed loop (autocannon) gets through: the 100 % the steps are fractions of. */
async function closedLoopMaximum(base: string, connections: number, request: () => LoadRequest): Promise<number> {
  const run = (seconds: number): Promise<autocannon.Result> =>
    autocannon({
      url: base,
      connections,
      duration: seconds,
      requests: [{ setupRequest: (r) => ({ ...r, ...request() }) }],
    });
  await run(WARMUP_SECONDS);
  const result = await run(MAX_SECONDS);
  return result['2xx'] / MAX_SECONDS;
}

interface Curve {
  name: string;
  unit: string;
  maximum: number;
  steps: StepResult[];
}

async function curveSteps(context: SuiteContext, label: string, base: string, maximum: number, request: () => LoadRequest): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  for (const fraction of STEPS) {
    const step = await offerLoad(base, Math.max(1, Math.round(maximum * fraction)), STEP_SECONDS, request);
    steps.push(step);
    context.progress(
      `${label} at ${Math.round(fraction * 100)} % (${step.offered}/s offered, ${Math.round(step.sent)}/s sent): ${Math.round(step.answered)}/s answered, p50 ${step.p50.toFixed(1)} ms, p99 ${step.p99.toFixed(1)} ms, ${step.failed} failed`,
    );
  }
  return steps;
}

function chartOf(curve: Curve, title: string): string {
  return renderLineChart({
    title,
    yScale: 'log',
    xLabel: `offered load (${curve.unit}, open loop, ${STEP_SECONDS} s a step)`,
    yLabel: 'latency from due time (ms)',
    series: [
      { name: 'p50', points: curve.steps.map((s) => [s.offered, s.p50] as const) },
      { name: 'p99', points: curve.steps.map((s) => [s.offered, s.p99] as const) },
    ],
    markers: [{ x: curve.maximum, label: `closed-loop max ${formatValue(curve.maximum, curve.unit)}` }],
  });
}

const describeCurve = (curve: Curve): string =>
  `${curve.name}: closed-loop maximum ${formatValue(curve.maximum, curve.unit)} ${curve.unit}; per step (offered → answered/s, p50 / p99 ms, failed): ` +
  curve.steps.map((s) => `${s.offered} → ${Math.round(s.answered)}, ${s.p50.toFixed(1)} / ${s.p99.toFixed(1)}${s.failed > 0 ? `, ${s.failed} failed` : ''}`).join('; ');

/** p99 at the step nearest `fraction` of the maximum. */
const p99At = (curve: Curve, fraction: number): number => curve.steps[STEPS.indexOf(fraction)]!.p99;

async function measureCurves(context: SuiteContext): Promise<SuiteResult> {
  return withFreshDatabase(context.databaseUrl, `shop_bench_${process.pid}_500`, async (databaseUrl) => {
    const redisUrl = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
    redisUrl.pathname = `/${REDIS_DB}`;
    const redis = new Redis(redisUrl.toString());
    await redis.flushdb().finally(() => redis.disconnect());
    const dataDir = mkdtempSync(join(tmpdir(), 'shop-bench-curves-'));
    const streamName = `BENCHCURVES_${process.pid}`;
    const ports = { SHOP_PORT: await freePort(), COMMAND_PORT: await freePort(), QUERY_PORT: await freePort(), PROJECTOR_PORT: await freePort() };
    let host: Host | undefined;
    try {
      host = await startHost({
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
        SHOP_HTTPS_PORT: '0',
        SHOP_GATEWAY: 'nginx',
        SHOP_PROMETHEUS: 'off',
        SHOP_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl.toString(),
        NATS_URL,
        NATS_STREAM: streamName,
        NATS_SUBJECT_PREFIX: `benchcurves${process.pid}`,
        DEV_USERS_PASSWORD: DEV_PASSWORD,
        JWT_PRIVATE_KEY: BENCH_JWT_PRIVATE_KEY,
        DATA_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 0x42).toString('base64'),
        // One load generator sends everything: the services' per-client limits must not be what is measured
        // (nginx's own write limit, 2,000/s with a burst of 4,000, stays as the gateway has it).
        RATE_LIMIT_BURST: '1000000',
        RATE_LIMIT_PER_SECOND: '1000000',
        LOG_LEVEL: 'warn',
      });
      const base = host.base;
      const admin = await login(base, 'admin@shop.local');
      const products = await createProducts(base, admin, PRODUCTS, 16);
      const shopper = await login(base, 'shopper@shop.local');
      context.progress(`the stack is up behind nginx (${base}); ${PRODUCTS} products created through it`);

      const placeOrder = (): LoadRequest => ({
        method: 'POST',
        path: operations.placeOrder.path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper}`, 'idempotency-key': randomUUID() },
        body: orderBody(products),
      });
      const productPaths = products.map((id) => shopRequests.getProduct(id).path);
      const readProduct = (): LoadRequest => ({ method: 'GET', path: productPaths[Math.floor(Math.random() * productPaths.length)]! });

      // The 100 % of each curve, closed loop, after a warm-up (which also fills the product cache).
      const orderMax = await closedLoopMaximum(base, 16, placeOrder);
      context.progress(`place-order: closed-loop maximum ${Math.round(orderMax)} orders/s (16 connections)`);
      const readMax = await closedLoopMaximum(base, 50, readProduct);
      context.progress(`GET /api/products/:id: closed-loop maximum ${Math.round(readMax)} req/s (50 connections)`);
      const warm = await host.rss();
      const gauge = await healthzPerSecond(host.commandBase);

      const orders: Curve = { name: 'place-order', unit: 'orders/s', maximum: orderMax, steps: await curveSteps(context, 'place-order', base, orderMax, placeOrder) };
      const reads: Curve = { name: 'product-by-id', unit: 'req/s', maximum: readMax, steps: await curveSteps(context, 'product-by-id', base, readMax, readProduct) };
      const end = await host.rss();

      await mkdir(RESULTS_DIR, { recursive: true });
      const files = {
        orders: 'curves-place-order.svg',
        reads: 'curves-product-by-id.svg',
      };
      await writeFile(join(RESULTS_DIR, files.orders), chartOf(orders, 'POST /api/orders through nginx (3-line orders)'));
      await writeFile(join(RESULTS_DIR, files.reads), chartOf(reads, 'GET /api/products/:id through nginx (cached)'));

      const rssOf = (service: string): RssSample[] => [{ warm: warm[service] ?? Number.NaN, end: end[service] ?? Number.NaN }];
      const measurements: Measurement[] = [
        { name: 'curves.place-order.max', unit: 'orders/s', better: 'higher', ours: [orderMax] },
        { name: 'curves.place-order.p99.at-50pct', unit: 'ms', better: 'lower', ours: [p99At(orders, 0.5)] },
        { name: 'curves.place-order.p99.at-100pct', unit: 'ms', better: 'lower', ours: [p99At(orders, 1.0)] },
        { name: 'curves.product-by-id.max', unit: 'req/s', better: 'higher', ours: [readMax] },
        { name: 'curves.product-by-id.p99.at-50pct', unit: 'ms', better: 'lower', ours: [p99At(reads, 0.5)] },
        { name: 'curves.product-by-id.p99.at-100pct', unit: 'ms', better: 'lower', ours: [p99At(reads, 1.0)] },
        ...SERVICES.flatMap((service) => rssMeasurements('curves', service, rssOf(service))),
      ];
      return {
        measurements,
        gauge: { name: 'commands.gauge.healthz', unit: 'req/s', rounds: [gauge] },
        notes: [
          `The whole stack as \`npm start\` runs it (startStack: command service, query service, projector, nginx from infra/nginx/nginx.conf) on a fresh database, Redis db ${REDIS_DB}, a JetStream stream of its own; ${PRODUCTS} products created through nginx; every request below goes through nginx.`,
          `Each curve's 100 %: the closed-loop maximum (autocannon, ${MAX_SECONDS} s after a ${WARMUP_SECONDS} s warm-up; 16 connections for orders, 50 for reads). Then ${STEPS.length} steps of ${STEP_SECONDS} s at ${STEPS.map((f) => `${Math.round(f * 100)}`).join(', ')} % of it, open loop: request i is due at i / rate and its latency runs from its due time, so a stall counts for every request that was due during it (no coordinated omission). Up to 256 connections; a request unanswered after 10 s counts as failed.`,
          describeCurve(orders),
          describeCurve(reads),
          `Charts: [${files.orders}](${files.orders}), [${files.reads}](${files.reads}) (p50 and p99 against offered load, log latency axis; the dashed line is the closed-loop maximum).`,
          `curves.<service>.rss: resident memory after both maxima were measured (warm) and after the last step (end); growth = end / warm (target ≤ 1.10).`,
          'Orders are 3-line orders as in the commands suite (the dev shopper, a fresh Idempotency-Key each); reads pick one of the products at random (cached after the warm-up). Load generator, nginx, the services, Redis, NATS and PostgreSQL share this machine\'s cores.',
          ...(STEP_SECONDS !== 5 ? [`BENCH_CURVES_STEP_SECONDS overrode the steps to ${STEP_SECONDS} s: a check of the suite, never figures to keep.`] : []),
        ],
      };
    } finally {
      await host?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      const nats = await connectNats(NATS_URL, 'bench').catch(() => undefined);
      await nats?.jetstreamManager().then((jsm) => jsm.streams.delete(streamName)).catch(() => undefined);
      await nats?.close();
    }
  });
}

export const curvesSuite: Suite = {
  name: 'curves',
  description: 'p50/p99 latency against offered load (10 %…120 % of the measured maximum, open loop) for place-order and cached product reads through nginx; SVG charts in bench/results/',
  run: measureCurves,
};
