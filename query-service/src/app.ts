import type pg from 'pg';
import type { EventStore } from '@shop/kernel';
import { ANALYTICS_PROJECTION, CATALOG_PROJECTION, ORDERS_PROJECTION, SALES_PROJECTION } from '@shop/read-models';
import { createNodeHttpService, type Logger, type NodeHttpService, type TokenVerifier, type Tracer, type TrustedProxies } from '@shop/service-kit';
import { analyticsRoutes } from './analytics/analytics.http.js';
import type { SalesReportSource } from './analytics/sales-report.port.js';
import { SqlSalesReport } from './analytics/sql-sales-report.js';
import { auditRoutes } from './audit/audit.http.js';
import type { ReadCache } from './cache/read-cache.js';
import { RecentEntriesCache } from './cache/recent-entries.js';
import { productRoutes } from './catalog/products.http.js';
import { orderRoutes } from './orders/orders.http.js';
import { deadLetterRoutes } from './projections/dead-letters.http.js';
import { consistency, type Freshness } from './read-your-writes/consistency.http.js';
import type { PositionSource, ProjectionPositions } from './read-your-writes/position-tracker.js';

export interface QueryServiceDeps {
  pool: pg.Pool;
  cache: ReadCache;
  /** How far each read model has got; a route waits on the one it reads from. */
  positions: ProjectionPositions;
  /** Verifies bearer tokens (issued by the command service; the public key only). */
  tokens: TokenVerifier;
  logger: Logger;
  maxConsistencyWaitMs: number;
  readiness: () => Promise<string | undefined>;
  /** The audit routes read the event store itself; `head` is its position (their read-your-writes source). */
  audit: { store: EventStore; head: PositionSource; exportBatchSize?: number };
  /** Sales reports: the Elasticsearch adapter when ELASTICSEARCH_URL is set; default the SQL read model. */
  salesReports?: SalesReportSource;
  /**
   * TRUSTED_PROXIES: accepted for the settings every service shares, unused here: the query service has no per-client
   * limits and never reads the client's address (decision 0080).
   */
  trustedProxies?: TrustedProxies;
  /** Set when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT): a server span per request. */
  tracer?: Tracer;
}

/** The read models the query service serves from: main.ts tracks exactly these. */
export const SERVED_PROJECTIONS = [CATALOG_PROJECTION, ORDERS_PROJECTION, SALES_PROJECTION, ANALYTICS_PROJECTION] as const;

/**
 * The query service's HTTP: a node:http router (not express: decision 0080 measured the difference on the hot
 * reads) with every route of every read use case, and /healthz, /readyz, /metrics.
 */
export function buildQueryApp(deps: QueryServiceDeps): NodeHttpService {
  const service = createNodeHttpService({
    service: 'query-service',
    logger: deps.logger,
    readiness: deps.readiness,
    ...(deps.tracer ? { tracer: deps.tracer } : {}),
  });
  /** Read-your-writes for a route served from `projection` (Consistency-Token in, Read-Model-Position out). */
  const freshFrom = (projection: string): Freshness => consistency(deps.positions.of(projection), deps.maxConsistencyWaitMs);
  const catalog = deps.positions.of(CATALOG_PROJECTION);
  // Products and pages: remembered in process while the catalog has not moved, over the shared cache (decision 0080).
  productRoutes(service, { ...deps, cache: new RecentEntriesCache(deps.cache, catalog), fresh: freshFrom(CATALOG_PROJECTION), catalog });
  orderRoutes(service, { ...deps, fresh: freshFrom(ORDERS_PROJECTION) });
  auditRoutes(service, {
    store: deps.audit.store,
    pool: deps.pool,
    tokens: deps.tokens,
    fresh: consistency(deps.audit.head, deps.maxConsistencyWaitMs),
    ...(deps.audit.exportBatchSize ? { exportBatchSize: deps.audit.exportBatchSize } : {}),
  });
  const reports = deps.salesReports ?? new SqlSalesReport(deps.pool);
  analyticsRoutes(service, { ...deps, reports, freshSales: freshFrom(reports.projection), freshCatalog: freshFrom(CATALOG_PROJECTION) });
  deadLetterRoutes(service, deps);
  return service;
}
