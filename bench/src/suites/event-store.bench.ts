import { fork } from 'node:child_process';
import type { Measurement } from '../figures.js';
import { dropOrphanDatabases, withFreshDatabase } from '../postgres.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';
import { packageVersion } from './package-version.js';
import type { StoreName } from './event-store/stores.js';
import type { WorkerMessage, WorkerTask } from './event-store/worker.js';
import type { WorkloadConfig, WorkloadResult } from './event-store/workload.js';

export const ROUNDS = 3;
export const POOL_SIZE = 20;
const DATABASE_PREFIX = 'shop_bench_';

export const WORKLOAD: WorkloadConfig = {
  warmup: { streams: 16, eventsPerStream: 10, concurrency: 16 },
  // The full volume at c1 too: Emmett appends ≈ 900–1,400 events/s at c1 here, ≈ 15–22 s a round.
  appendC1: { streams: 2_000, eventsPerStream: 10, concurrency: 1 },
  appendC16: { streams: 2_000, eventsPerStream: 10, concurrency: 16 },
  readers: 16,
  readAllBatch: 1_000,
};

const STORE_LABEL: Record<StoreName, string> = { shop: 'ours', emmett: 'Emmett' };

/** Runs one store for one round in a child process (worker.ts) and answers its figures. */
function runWorker(task: WorkerTask, label: string, context: SuiteContext): Promise<WorkloadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./event-store/worker.js', import.meta.url), [JSON.stringify(task)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: WorkloadResult | undefined;
    child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') context.progress(`${label}: ${message.phase} — ${message.detail}`);
      else result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result && code === 0) resolve(result);
      else reject(new Error(`${label}: the worker ended with ${signal ?? `code ${code}`} before reporting its figures`));
    });
  });
}

async function measureEventStore(context: SuiteContext): Promise<SuiteResult> {
  const orphans = await dropOrphanDatabases(context.databaseUrl, DATABASE_PREFIX);
  if (orphans.length > 0) context.progress(`dropped databases left by earlier runs: ${orphans.join(', ')}`);

  const results: Record<StoreName, WorkloadResult[]> = { shop: [], emmett: [] };
  let databaseNumber = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which store goes first, so neither always meets a warmer (or busier) server.
    const order: StoreName[] = round % 2 === 1 ? ['shop', 'emmett'] : ['emmett', 'shop'];
    for (const store of order) {
      const database = `${DATABASE_PREFIX}${process.pid}_${++databaseNumber}`;
      const label = `round ${round}/${ROUNDS} ${STORE_LABEL[store]}`;
      const result = await withFreshDatabase(context.databaseUrl, database, (databaseUrl) => {
        context.progress(`${label}: fresh database ${database}`);
        return runWorker({ store, databaseUrl, poolSize: POOL_SIZE, workload: WORKLOAD }, label, context);
      });
      results[store].push(result);
    }
  }

  const measure = (
    name: string,
    unit: 'events/s' | 'ms',
    pick: (result: WorkloadResult) => number,
  ): Measurement => ({
    name,
    unit,
    better: unit === 'ms' ? 'lower' : 'higher',
    ours: results.shop.map(pick),
    peer: results.emmett.map(pick),
  });

  const { appendC1, appendC16, readers, readAllBatch, warmup } = WORKLOAD;
  const c1Events = appendC1.streams * appendC1.eventsPerStream;
  const c16Events = appendC16.streams * appendC16.eventsPerStream;
  const logEvents = c1Events + c16Events + warmup.streams * warmup.eventsPerStream;
  const emmettVersion = packageVersion('@event-driven-io/emmett-postgresql');
  const readAllAnomalies = (['shop', 'emmett'] as const).flatMap((store) => {
    const perRound = results[store].map((r) => `${r.readAll.duplicates} twice / ${r.readAll.missing} never`);
    return results[store].some((r) => r.readAll.duplicates + r.readAll.missing > 0)
      ? [
          `${STORE_LABEL[store]}'s global read delivered events twice or never (per round: ${perRound.join('; ')}); the rate ` +
            'counts distinct events. (Emmett orders a batch by transaction id, which differs from position order when appends ' +
            'run concurrently; continuing after the last position of a batch then repeats or skips events at batch boundaries.)',
        ]
      : [];
  });
  return {
    peer: `Emmett ${emmettVersion} (\`@event-driven-io/emmett-postgresql\`, \`getPostgreSQLEventStore(url, { connectionOptions: { pool } })\`)`,
    measurements: [
      measure('event-store.append.c1', 'events/s', (r) => r.appendC1.eventsPerSecond),
      measure('event-store.append.c1.p50', 'ms', (r) => r.appendC1.p50),
      measure('event-store.append.c1.p99', 'ms', (r) => r.appendC1.p99),
      measure('event-store.append.c16', 'events/s', (r) => r.appendC16.eventsPerSecond),
      measure('event-store.append.c16.p50', 'ms', (r) => r.appendC16.p50),
      measure('event-store.append.c16.p99', 'ms', (r) => r.appendC16.p99),
      measure('event-store.read-streams', 'events/s', (r) => r.readStreams.eventsPerSecond),
      measure('event-store.read-all', 'events/s', (r) => r.readAll.eventsPerSecond),
    ],
    notes: [
      `${ROUNDS} rounds; each store gets a fresh database per round on the same server (ours: \`applySchema\`, init.sql; ` +
        `Emmett: its own \`schema.migrate()\`), and runs in its own Node process. Which store goes first alternates by round.`,
      `Both stores on a pg pool of ${POOL_SIZE} connections (\`createPool\` from @shop/kernel; Emmett takes it through ` +
        '`connectionOptions: { pool }`).',
      `Appends: one event per append with the exact expected version (ours: \`no_stream\` then the version; Emmett: \`0n\` ` +
        'then the version: Emmett maps `STREAM_DOES_NOT_EXIST` to "no check", and it appends to an existing stream). ' +
        'Each event: `{ i, payload: 100 × "x" }` data, ' +
        '`{ correlationId, causationId, actor }` metadata.',
      `append.c1: ${c1Events.toLocaleString('en-US')} events over ${appendC1.streams.toLocaleString('en-US')} streams, ` +
        `one writer. append.c16: ${c16Events.toLocaleString('en-US')} events over ${appendC16.streams.toLocaleString('en-US')} ` +
        `other streams, ${appendC16.concurrency} writers; writer k owns streams k, k+${appendC16.concurrency}, … and goes ` +
        'round them version by version (each stream written by one writer, in order). Latency: per append, client side.',
      `Before the measured phases: a warm-up of ${warmup.streams * warmup.eventsPerStream} events at c${warmup.concurrency} ` +
        '(opens the connections, prepares statements) — not measured.',
      `read-streams: the ${appendC16.streams.toLocaleString('en-US')} c16 streams read back whole by ${readers} concurrent readers. ` +
        `read-all: the whole global log (${logEvents.toLocaleString('en-US')} events) from position 0 in batches of ${readAllBatch} ` +
        '(ours: `readAll(after, 1000)`; Emmett: `readMessagesBatch(dumbo.execute, { after, batchSize })` with `after` = the ' +
        "batch's `currentGlobalPosition`, as its own batch puller does).",
      `Emmett ${emmettVersion} has no index on \`global_position\`: each \`readMessagesBatch\` filters and sorts the whole messages ` +
        'partition (`ORDER BY transaction_id, global_position LIMIT n`), so its global read slows as the log grows.',
      ...readAllAnomalies,
    ],
  };
}

export const eventStoreSuite: Suite = {
  name: 'event-store',
  description: 'appends (c1, c16) with expected versions, stream reads and the global log read; ours against Emmett',
  run: measureEventStore,
};
