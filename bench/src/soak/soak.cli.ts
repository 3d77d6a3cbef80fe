import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PERSONAL_DATA } from '@shop/domain';
import { connectNats, createPool, PersonalDataCodec, PersonalDataEventStore, PostgresDataKeyRing, PostgresEventStore, verifyHashChains } from '@shop/kernel';
import { PROJECTIONS, rebuildProjection } from '@shop/projector';
import { freePort } from '@shop/service-kit';
import { StackConfig, startStack, type RunningStack } from '@shop/stack';
import { DEFAULT_DATABASE_URL, dropOrphanDatabases, serverVersion, withFreshDatabase } from '../postgres.js';
import { createProducts, DEV_PASSWORD, login } from '../shop-api.js';
import { percentile } from '../stats.js';
import { sampleProcesses } from './processes.js';
import { bestRate, heapUsedMbOf, nextProbeRate, parseSoakArgs, probePassed, SOAK_USAGE, windowFigures, type Probe } from './soak-math.js';
import { soakCharts, soakMarkdown, verdicts, type SoakResult, type SoakSample } from './soak-report.js';
import { Traffic } from './traffic.js';

// `npm run soak -- --minutes N`: the shop as `npm start` runs it (nginx in front), on a fresh database of this machine's
// Postgres; first the highest rate keeping p99 <= 100 ms, then mixed traffic at that rate for N minutes, sampled.
const RESULTS = fileURLToPath(new URL('../../results/', import.meta.url));
const SAMPLE_SECONDS = 5;
const PROBE_SECONDS = 10;
const PROBE_SETTLE_SECONDS = 3;
const START_RATE = 50;
const MAX_PROBES = 9;
const PRODUCTS = 200;
const SHOPPERS = 8;
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SERVER_URL = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const DATABASE_PREFIX = 'shop_soak_';

const say = (line: string): void => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);
const seconds = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const parsed = parseSoakArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(SOAK_USAGE);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(parsed.message);
  process.exit(2);
}
const args = parsed.args;

/** Registers shoppers (the gateway and the service limit writes per user, so the orders spread over several). */
async function shopperTokens(base: string, count: number): Promise<string[]> {
  const tokens = [await login(base, 'shopper@shop.local')];
  for (let i = 1; i < count; i++) {
    const email = `soak-${i}-${randomUUID()}@example.com`;
    const response = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEV_PASSWORD, name: `Soak shopper ${i}` }),
    });
    if (response.status !== 201) throw new Error(`register ${email}: ${response.status} ${await response.text()}`);
    tokens.push(await login(base, email));
  }
  return tokens;
}

/** Head position and the lowest projection checkpoint (partition rows included). */
async function lagOf(pool: ReturnType<typeof createPool>): Promise<{ head: bigint; lowest: bigint }> {
  const { rows } = await pool.query<{ head: string; lowest: string | null }>(
    'SELECT COALESCE((SELECT max(global_position) FROM events), 0) AS head, (SELECT min(position) FROM projection_checkpoints) AS lowest',
  );
  return { head: BigInt(rows[0]!.head), lowest: BigInt(rows[0]!.lowest ?? 0) };
}

/** Each Node service's V8 heap in use, from its own /metrics (services in the stack's order: command, query, projector). */
async function heapsOf(stack: RunningStack): Promise<Record<string, number>> {
  const ports = [...stack.instancePorts.command, ...stack.instancePorts.query, ...stack.instancePorts.projector];
  const heaps: Record<string, number> = {};
  await Promise.all(
    ports.map(async (port, i) => {
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
      const mb = heapUsedMbOf(text);
      if (mb !== undefined) heaps[stack.services[i]!.name] = Number(mb.toFixed(1));
    }),
  );
  return heaps;
}

async function probe(traffic: Traffic, rate: number): Promise<Probe> {
  traffic.start(rate);
  await seconds(PROBE_SETTLE_SECONDS * 1_000);
  traffic.take();
  const started = performance.now();
  await seconds(PROBE_SECONDS * 1_000);
  const window = traffic.take();
  const figures = windowFigures(window.latenciesMs, window.errors, (performance.now() - started) / 1_000);
  const measured = { rate, achieved: figures.throughput + window.errors / PROBE_SECONDS, p99: figures.p99, errors: figures.errors };
  const result = { ...measured, ok: probePassed(measured) };
  say(`probe ${rate} req/s: answered ${figures.throughput.toFixed(0)}/s, p99 ${figures.p99.toFixed(1)} ms, ${window.errors} errors${window.errorSamples.length ? ` (${window.errorSamples.join('; ')})` : ''} → ${result.ok ? 'kept' : 'over'}`);
  return result;
}

async function soak(stack: RunningStack, databaseUrl: string, dataKey: string): Promise<SoakResult> {
  const pool = createPool(databaseUrl, { max: 4, applicationName: 'soak' });
  const admin = await login(stack.url, 'admin@shop.local');
  const productIds = await createProducts(stack.url, admin, PRODUCTS, 16);
  const shoppers = await shopperTokens(stack.url, SHOPPERS);
  const traffic = new Traffic({ base: stack.url, adminToken: admin, shopperTokens: shoppers, productIds });
  const named = (): Map<number, string> => new Map(stack.services.flatMap((s) => (s.process.pid === undefined ? [] : [[s.process.pid, s.name] as [number, string]])));
  try {
    // 1. The highest rate that keeps p99 <= 100 ms (or the one given).
    const probes: Probe[] = [];
    let rate = args.rate;
    if (rate === undefined) {
      say(`searching the highest rate with p99 <= 100 ms: ${PROBE_SECONDS} s steps from ${START_RATE} req/s`);
      for (let next = nextProbeRate(probes, { start: START_RATE, maxProbes: MAX_PROBES }); next !== undefined; next = nextProbeRate(probes, { start: START_RATE, maxProbes: MAX_PROBES })) {
        probes.push(await probe(traffic, next));
      }
      // No step kept the bound (a machine too busy for any rate): soak at the lowest rate tried, and the verdicts say so.
      rate = bestRate(probes) ?? Math.min(...probes.map((p) => p.rate));
      await traffic.stop();
      traffic.take();
    }
    // 2. The soak itself, sampled.
    const warmupSeconds = Math.min(120, Math.round(args.minutes * 60 * 0.2));
    say(`soaking at ${rate} req/s for ${args.minutes} min, sampling every ${SAMPLE_SECONDS} s (warm-up ${warmupSeconds} s)`);
    const samples: SoakSample[] = [];
    const all: number[] = [];
    let errors = 0;
    const errorSamples: string[] = [];
    const started = performance.now();
    let last = started;
    traffic.start(rate);
    const end = started + args.minutes * 60_000;
    while (performance.now() < end) {
      await seconds(Math.min(SAMPLE_SECONDS * 1_000, end - performance.now()));
      const now = performance.now();
      const window = traffic.take();
      const figures = windowFigures(window.latenciesMs, window.errors, (now - last) / 1_000);
      last = now;
      for (const latency of window.latenciesMs) all.push(latency);
      errors += window.errors;
      for (const e of window.errorSamples) if (errorSamples.length < 10) errorSamples.push(e);
      const lag = await lagOf(pool);
      const rssMb = Object.fromEntries(sampleProcesses(named()).map((p) => [p.name, Number(p.rssMb.toFixed(1))]));
      const heapUsedMb = await heapsOf(stack);
      const sample: SoakSample = { t: Number(((now - started) / 1_000).toFixed(1)), throughput: figures.throughput, p99: figures.p99, errors: window.errors, lagEvents: Number(lag.head - lag.lowest), rssMb, heapUsedMb };
      samples.push(sample);
      say(`t=${sample.t.toFixed(0)} s: ${figures.throughput.toFixed(0)} req/s, p99 ${figures.p99.toFixed(1)} ms, ${window.errors} errors, lag ${sample.lagEvents} events, RSS ${Object.entries(rssMb).map(([n, mb]) => `${n} ${mb.toFixed(0)}`).join(', ')} MB`);
    }
    await traffic.stop();
    const tail = traffic.take();
    for (const latency of tail.latenciesMs) all.push(latency);
    errors += tail.errors;
    const soakSeconds = (performance.now() - started) / 1_000;

    // 3. At the end: projections catch up, then each read model is rebuilt and compared, and the log verified.
    const stopped = performance.now();
    let lag = await lagOf(pool);
    while (lag.lowest < lag.head) {
      if (performance.now() - stopped > 120_000) throw new Error(`projections did not reach the head ${lag.head} within 120 s (lowest ${lag.lowest})`);
      await seconds(200);
      lag = await lagOf(pool);
    }
    const caughtUpSeconds = (performance.now() - stopped) / 1_000;
    say(`projections at the head (${lag.head}) ${caughtUpSeconds.toFixed(1)} s after the traffic stopped; rebuilding each read model to compare`);
    const store = new PersonalDataEventStore(new PostgresEventStore(pool), new PersonalDataCodec(new PostgresDataKeyRing(pool, Buffer.from(dataKey, 'base64')), PERSONAL_DATA));
    const rebuilds: SoakResult['end']['rebuilds'] = [];
    for (const target of Object.values(PROJECTIONS)) {
      const rebuilt = await rebuildProjection(pool, store, target, () => undefined, args.instances);
      rebuilds.push({ projection: target.projection.name, identical: rebuilt.identical, liveDigest: rebuilt.liveDigest, rebuiltDigest: rebuilt.rebuiltDigest, events: rebuilt.events });
      say(`${target.projection.name}: rebuilt from ${rebuilt.events} events, ${rebuilt.identical ? 'identical to the live read model' : 'DIFFERENT from the live read model'}`);
    }
    const verdict = await verifyHashChains(pool);
    say(`hash chains: ${verdict.ok ? 'verified' : 'BROKEN'} (${verdict.eventsChecked} events)`);

    const sorted = Float64Array.from(all).sort();
    const cpu = cpus();
    return {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ${await serverVersion(SERVER_URL).then((v) => v.split(' on ')[0], () => 'PostgreSQL (version unknown)')}`,
      commandLine: `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim(),
      instances: args.instances,
      minutes: args.minutes,
      warmupSeconds,
      probes,
      rate,
      samples,
      totals: { requests: all.length, errors, p99: all.length ? percentile(sorted, 99, { sorted: true }) : 0, throughput: all.length / soakSeconds, errorSamples },
      end: {
        caughtUpSeconds,
        head: lag.head.toString(),
        rebuilds,
        verify: { ok: verdict.ok, eventsChecked: verdict.eventsChecked, ...(verdict.firstBroken ? { firstBroken: verdict.firstBroken } : {}) },
      },
      notes: [
        'Load generator, nginx, the services, PostgreSQL, Redis and NATS all share this machine; other work ran on it at the same time (the machine is shared by several sessions), so the figures are this run\'s, not the software\'s ceiling.',
        `Mixed traffic per 20 requests: 12 product reads by id, 2 catalog pages, 1 order read, 4 orders placed (Idempotency-Key; ${SHOPPERS} shoppers), 1 stock receipt; open loop (each request timed from its due moment, so queueing shows), ${PRODUCTS} products.`,
        `Rate search: ${PROBE_SECONDS} s per step after ${PROBE_SETTLE_SECONDS} s of settling; a step passes with p99 ≤ 100 ms, no error and ≥ 90 % of the rate answered; ×1.5 until one fails, then bisection.`,
        `Memory: V8 heap in use of each Node service from its /metrics, beside RSS (a heap that keeps growing is a leak; RSS alone also grows while the collector is lazy). VmRSS of every process the run started (services, nginx master and workers), sampled every ${SAMPLE_SECONDS} s; growth = median of the last three samples against the median of the first three after warm-up. PostgreSQL, Redis and NATS are the machine's own servers, shared, and not sampled.`,
        'Projection lag: the store head minus the lowest projection checkpoint (partition rows included), in events.',
        'End checks: each Postgres read model rebuilt from position 0 into shadow tables and its digest compared with the live one at the same position (the projector\'s rebuild, `npm run projections -- rebuild`); the hash chains recomputed (`verifyHashChains`, the code of `npm run audit -- verify`).',
        'Services ran with LOG_LEVEL=warn (no per-request log lines).',
      ],
    };
  } finally {
    await traffic.stop().catch(() => undefined);
    traffic.close();
    await pool.end();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'shop-soak-'));
const database = `${DATABASE_PREFIX}${process.pid}_1`;
const namespace = `soak${process.pid}`;
const dataKey = randomBytes(32).toString('base64');
await dropOrphanDatabases(SERVER_URL, DATABASE_PREFIX);
try {
  const result = await withFreshDatabase(SERVER_URL, database, async (databaseUrl) => {
    // The services inherit this process's environment: quiet logs, so the disk and the log writer are not what is measured.
    process.env.LOG_LEVEL = 'warn';
    const config = StackConfig.parse({
      SHOP_PORT: await freePort(),
      SHOP_HTTPS_PORT: 0,
      COMMAND_PORT: await freePort(),
      QUERY_PORT: await freePort(),
      PROJECTOR_PORT: await freePort(),
      PROMETHEUS_PORT: await freePort(),
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      NATS_URL,
      NATS_STREAM: `${namespace.toUpperCase()}_EVENTS`,
      NATS_SUBJECT_PREFIX: namespace,
      SHOP_DATA_DIR: dataDir,
      DEV_USERS_PASSWORD: DEV_PASSWORD,
      DATA_KEY_ENCRYPTION_KEY: dataKey,
      SHOP_GATEWAY: 'nginx',
      SHOP_PROMETHEUS: 'off',
      SHOP_INSTANCES: args.instances,
    });
    const stack = await startStack(config, say);
    try {
      return await soak(stack, databaseUrl, dataKey);
    } finally {
      await stack.stop();
      const nats = await connectNats(NATS_URL, 'soak').catch(() => undefined);
      await nats?.jetstreamManager().then((jsm) => jsm.streams.delete(config.NATS_STREAM)).catch(() => undefined);
      await nats?.close();
    }
  });
  mkdirSync(RESULTS, { recursive: true });
  const stem = `soak-${result.date}`;
  const charts = soakCharts(result);
  for (const [kind, svg] of Object.entries(charts)) writeFileSync(join(RESULTS, `${stem}-${kind}.svg`), svg);
  writeFileSync(join(RESULTS, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(RESULTS, `${stem}.md`), soakMarkdown(result, (kind) => `${stem}-${kind}.svg`));
  say(`report: bench/results/${stem}.md (+ .json, ${Object.keys(charts).length} SVG charts)`);
  const failed = Object.entries(verdicts(result)).filter(([, ok]) => !ok);
  for (const [what] of failed) say(`FAIL: ${what}`);
  process.exitCode = failed.length ? 1 : 0;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
