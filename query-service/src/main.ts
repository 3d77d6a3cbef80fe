import { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import { createPool } from '@shop/kernel';
import {
  accountTokenVersions,
  CachedTokenVersions,
  closeServer,
  createLogger,
  createTokenVerifier,
  loadServiceConfig,
  logDestination,
  logShippingOf,
  onShutdown,
  serve,
  spanDestinationOf,
  startTracing,
  warnOfLostConnection,
} from '@shop/service-kit';
import { ElasticsearchSalesReport } from './analytics/es-sales-report.js';
import { SqlSalesReport } from './analytics/sql-sales-report.js';
import { buildQueryApp, SERVED_PROJECTIONS } from './app.js';
import { auditEventStore } from './audit/audit-store.js';
import { StoreHead } from './audit/store-head.js';
import { connectCacheRedis, InProcessReadCache, RedisReadCache, type ReadCache } from './cache/read-cache.js';
import { QueryServiceConfig } from './config.js';
import { ProjectionPositions } from './read-your-writes/position-tracker.js';

const config = loadServiceConfig('query-service', QueryServiceConfig, (parsed) => ({
  // Public, but the key of a known pair would accept tokens minted with its published private half.
  keys: { JWT_PUBLIC_KEY: parsed.JWT_PUBLIC_KEY },
  urls: { REDIS_URL: { url: parsed.REDIS_URL, passwordRequired: false }, ELASTICSEARCH_URL: { url: parsed.ELASTICSEARCH_URL, passwordRequired: false } },
}));
const logger = createLogger('query-service', undefined, logDestination(logShippingOf(config)));
const tracing = await startTracing('query-service', spanDestinationOf(config));
if (process.env.JWT_SECRET !== undefined) logger.warn('JWT_SECRET is no longer used (the query service verifies with JWT_PUBLIC_KEY)');
const pool = createPool(config.DATABASE_URL, { max: 20, applicationName: 'query-service', onIdleError: warnOfLostConnection(logger, 'main') });
// Reads check revocation through a short, bounded cache (TOKEN_VERSION_CACHE_MS): a lookup per account and few
// seconds, not per request.
const tokens = createTokenVerifier({
  publicKey: config.JWT_PUBLIC_KEY,
  keyId: config.JWT_KEY_ID,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  versions: new CachedTokenVersions(accountTokenVersions(pool), { ttlMs: config.TOKEN_VERSION_CACHE_MS, maxEntries: config.TOKEN_VERSION_CACHE_SIZE }),
});

const positions = new ProjectionPositions(pool, SERVED_PROJECTIONS);
await positions.start(config.DATABASE_URL);
// The audit routes read the store itself (no upcasters: events as stored); they wait on its head.
const storeHead = new StoreHead(pool);
await storeHead.start(config.DATABASE_URL);

let redis: Redis | undefined;
let cache: ReadCache;
if (config.REDIS_URL) {
  redis = connectCacheRedis(config.REDIS_URL, logger);
  cache = new RedisReadCache(redis, logger);
} else {
  logger.warn('REDIS_URL not set: using an in-process cache');
  const local = new InProcessReadCache();
  for (const projection of SERVED_PROJECTIONS) positions.of(projection).onAdvance(() => local.clear());
  cache = local;
}

// A report is a request someone waits for: one retry, then a 503 they may retry, rather than a long stall.
const elasticsearch = config.ELASTICSEARCH_URL ? new ElasticsearchClient({ node: config.ELASTICSEARCH_URL, maxRetries: 1, requestTimeout: 10_000 }) : undefined;
const salesReports = elasticsearch ? new ElasticsearchSalesReport(elasticsearch, config.ELASTICSEARCH_SALES_INDEX) : new SqlSalesReport(pool);
logger.info(
  { backend: salesReports.backend, ...(elasticsearch ? { index: config.ELASTICSEARCH_SALES_INDEX } : {}) },
  elasticsearch ? 'analytics served from Elasticsearch (ELASTICSEARCH_URL set)' : 'ELASTICSEARCH_URL not set: analytics served from the SQL sales read model',
);

const { listener } = buildQueryApp({
  salesReports,
  pool,
  cache,
  positions,
  tokens,
  logger,
  maxConsistencyWaitMs: config.CONSISTENCY_MAX_WAIT_MS,
  // Personal fields decrypted, `[erased]` once shredded, `[unreadable]` where edited (verify names the event).
  audit: { store: auditEventStore(pool, config.DATA_KEY_ENCRYPTION_KEY).store, head: storeHead.tracker },
  trustedProxies: config.TRUSTED_PROXIES,
  ...(tracing ? { tracer: tracing.tracer } : {}),
  readiness: async () => {
    await pool.query('SELECT 1');
    return undefined;
  },
});
const server = await serve(listener, config.PORT);
logger.info({ port: config.PORT, cache: redis ? 'redis' : 'in-process' }, 'query-service listening');

onShutdown(logger, [
  () => closeServer(server),
  () => positions.stop(),
  () => storeHead.stop(),
  async () => redis?.disconnect(),
  async () => elasticsearch?.close(),
  async () => tracing?.shutdown(),
  () => pool.end(),
]);
