import { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { Redis } from 'ioredis';
import type { NatsConnection } from 'nats';
import { PERSONAL_DATA } from '@shop/domain';
import { connectNats, createPool, ensureEventStream, PersonalDataCodec, PostgresDataKeyRing, PostgresEventStore, type EventBusNames } from '@shop/kernel';
import {
  closeServer,
  createLogger,
  createServiceApp,
  loadServiceConfig,
  logDestination,
  logShippingOf,
  onShutdown,
  serve,
  spanDestinationOf,
  startTracing,
  warnOfLostConnection,
} from '@shop/service-kit';
import { ProjectorConfig } from './config.js';
import { createCacheInvalidator } from './cache/cache-invalidator.js';
import { createProjectorMetrics } from './metrics.js';
import { analyticsProjection } from './projections/analytics/analytics.projection.js';
import { SalesIndexWriter } from './projections/analytics/sales-index-writer.js';
import { catalogProjection } from './projections/catalog/catalog.projection.js';
import { customersProjection } from './projections/customers/customers.projection.js';
import { ordersProjection } from './projections/orders/orders.projection.js';
import { decryptingPersonalData } from './projections/personal-data.js';
import { salesProjection } from './projections/sales/sales.projection.js';
import { Relay } from './relay/relay.js';
import { partitionsToRun } from './runner/partition.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import { RedriveRequestWorker } from './runner/redrive-requests.js';

const config = loadServiceConfig('projector', ProjectorConfig, (parsed) => ({
  urls: {
    REDIS_URL: { url: parsed.REDIS_URL, passwordRequired: false },
    NATS_URL: { url: parsed.NATS_URL, passwordRequired: false },
    ELASTICSEARCH_URL: { url: parsed.ELASTICSEARCH_URL, passwordRequired: false },
  },
}));
const logger = createLogger('projector', undefined, logDestination(logShippingOf(config)));
// Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT): the relay continues each command's trace onto the bus, runners from it.
const tracing = await startTracing('projector', spanDestinationOf(config));
const tracer = tracing ? { tracer: tracing.tracer } : {};
// The projector never appends events: everything it writes (read models, their checkpoints, the relay's checkpoint,
// dead letters) is derived from the store and written with its checkpoint in one transaction. So it commits without
// waiting for the WAL flush: a database crash can lose only its last few commits, read model and checkpoint
// together (WAL is replayed in order), and the projection then applies those events again from the store. That
// takes the flush off every batch's path, which is most of a small batch's latency.
const pool = createPool(config.DATABASE_URL, {
  max: 10,
  applicationName: 'projector',
  asynchronousCommit: true,
  onIdleError: warnOfLostConnection(logger, 'main'),
});
// Events as stored: the relay publishes exactly these bytes (personal fields encrypted), and runners read them so too;
// each projection decrypts what it applies (projections/personal-data.ts).
const store = new PostgresEventStore(pool);
const personalData = new PersonalDataCodec(new PostgresDataKeyRing(pool, config.DATA_KEY_ENCRYPTION_KEY), PERSONAL_DATA);
const names: EventBusNames = { streamName: config.NATS_STREAM, subjectPrefix: config.NATS_SUBJECT_PREFIX };

let nats: NatsConnection | undefined;
if (config.NATS_URL) {
  try {
    nats = await connectNats(config.NATS_URL, 'projector');
    await ensureEventStream(await nats.jetstreamManager(), names);
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'NATS unavailable: projections follow the store directly');
    await nats?.close();
    nats = undefined;
  }
}

let redis: Redis | undefined;
if (config.REDIS_URL) {
  redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
}
const invalidate = redis ? createCacheInvalidator(redis, logger) : async (): Promise<void> => undefined;

const service = createServiceApp({
  service: 'projector',
  logger,
  ...tracer,
  trustedProxies: config.TRUSTED_PROXIES,
  readiness: async () => {
    await pool.query('SELECT 1');
    return nats?.isClosed() ? 'NATS connection closed' : undefined;
  },
});
service.finish();
const metrics = createProjectorMetrics(service.registry, async () => {
  // The head, and for each projection the recording time of the first event it has not applied (positions are dense).
  const { rows } = await pool.query<{ head: string; waiting_since: Array<Date | null> }>({
    name: 'projection_lag',
    text: `SELECT COALESCE((SELECT max(global_position) FROM events), 0) AS head,
                  ARRAY(SELECT (SELECT recorded_at FROM events WHERE global_position = p + 1) FROM unnest($1::bigint[]) WITH ORDINALITY AS u(p, i) ORDER BY i) AS waiting_since`,
    values: [runners.map((runner) => runner.position.toString())],
  });
  const head = BigInt(rows[0]?.head ?? 0);
  const now = Date.now();
  return Object.fromEntries(
    runners.map((runner, i) => {
      const since = rows[0]?.waiting_since[i];
      return [runner.name, { events: Number(head - runner.position), seconds: since ? Math.max(0, (now - since.getTime()) / 1_000) : 0 }];
    }),
  );
});

// One runner per projection: each is its own durable JetStream consumer with its own checkpoint, so a slow or
// parked projection never holds the others back.
// Partitioned, each projection gets a runner per partition this process runs (each its own consumer and checkpoint).
// Checked even unpartitioned: a StatefulSet pod `projector-1` with PROJECTION_PARTITIONS=1 refuses to start rather
// than run a second copy of everything.
const partitionsOfThisProcess = partitionsToRun(config.PROJECTION_PARTITIONS, config.PROJECTOR_PARTITIONS, config.HOSTNAME);
const partitions = config.PROJECTION_PARTITIONS > 1 ? partitionsOfThisProcess : [undefined];
const postgresProjections = [catalogProjection, ordersProjection, customersProjection, salesProjection].map((projection) =>
  decryptingPersonalData(projection, personalData),
);
const postgresRunners = postgresProjections.flatMap((projection) =>
  partitions.map((partition) => new ProjectionRunner({ pool, store, projection, invalidate, metrics, logger, ...tracer, ...(partition ? { partition } : {}) })),
);
const relay = nats ? new Relay({ pool, connectionString: config.DATABASE_URL, store, js: nats.jetstream(), names, metrics, logger, ...tracer }) : undefined;

// The Elasticsearch analytics projection runs only where a cluster is configured.
const elasticsearch = config.ELASTICSEARCH_URL ? new ElasticsearchClient({ node: config.ELASTICSEARCH_URL, maxRetries: 0 }) : undefined;
const salesIndex = elasticsearch ? new SalesIndexWriter(elasticsearch, config.ELASTICSEARCH_SALES_INDEX) : undefined;
const analyticsOfIndex = salesIndex ? decryptingPersonalData(analyticsProjection(salesIndex), personalData) : undefined;
const analytics = analyticsOfIndex
  ? new ProjectionRunner({ pool, store, projection: analyticsOfIndex, invalidate, metrics, logger, ...tracer, batchSize: config.ELASTICSEARCH_BATCH_SIZE })
  : undefined;
if (salesIndex) logger.info({ index: salesIndex.index }, 'Elasticsearch analytics projection enabled (ELASTICSEARCH_URL set)');
else logger.info('ELASTICSEARCH_URL not set: no Elasticsearch analytics projection; analysts are served from the SQL sales read model');

const runners = [...postgresRunners, ...(analytics ? [analytics] : [])];
// Redrive requests (POST /api/admin/projections/{projection}/redrive) for the projections this process runs: every
// partition's process runs all of them, and whichever takes a request first redrives every partition's letters.
const redrives = new RedriveRequestWorker({
  pool,
  connectionString: config.DATABASE_URL,
  store,
  projections: new Map([...postgresProjections, ...(analyticsOfIndex ? [analyticsOfIndex] : [])].map((projection) => [projection.name, projection])),
  invalidate,
  logger,
  pollMs: config.REDRIVE_POLL_MS,
});
const feed = async (runner: ProjectionRunner): Promise<void> =>
  nats ? runner.runFromJetStream(nats.jetstream(), await nats.jetstreamManager(), names) : runner.runFromStore();

let stopping = false;
/** The index template and index first (idempotent), retried until Elasticsearch answers; then the feed. */
async function runAnalytics(runner: ProjectionRunner, index: SalesIndexWriter): Promise<void> {
  for (let attempt = 1; !stopping; attempt++) {
    try {
      await index.ensureIndex();
      break;
    } catch (err) {
      logger.warn({ err: (err as Error).message, attempt }, 'Elasticsearch not ready: index template not put yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** attempt)));
    }
  }
  if (!stopping) await feed(runner);
}

const running = [
  relay?.run(),
  redrives.run(),
  ...postgresRunners.map(feed),
  analytics && salesIndex ? runAnalytics(analytics, salesIndex) : undefined,
].filter((p): p is Promise<void> => p !== undefined);
for (const task of running) task.catch((err: unknown) => logger.fatal({ err }, 'projector task crashed'));

const server = await serve(service.app, config.PORT);
logger.info({ port: config.PORT, feed: nats ? 'jetstream' : 'store' }, 'projector running');

onShutdown(logger, [
  () => closeServer(server),
  async () => {
    stopping = true;
    relay?.stop();
    redrives.stop();
    for (const runner of runners) runner.stop();
    await Promise.allSettled(running);
  },
  async () => nats?.drain(),
  async () => elasticsearch?.close(),
  async () => redis?.quit(),
  () => pool.end(),
  async () => tracing?.shutdown(),
]);
