import type pg from 'pg';
import { createServiceApp, type Logger, type ServiceApp } from '@shop/service-kit';
import type { ReadCache } from './cache/read-cache.js';
import { productRoutes } from './catalog/products.http.js';
import { consistency } from './read-your-writes/consistency.http.js';
import type { PositionTracker } from './read-your-writes/position-tracker.js';

export interface QueryServiceDeps {
  pool: pg.Pool;
  cache: ReadCache;
  catalogPosition: PositionTracker;
  logger: Logger;
  maxConsistencyWaitMs: number;
  readiness: () => Promise<string | undefined>;
}

export function buildQueryApp(deps: QueryServiceDeps): ServiceApp {
  const service = createServiceApp({ service: 'query-service', logger: deps.logger, readiness: deps.readiness });
  service.app.use('/api', consistency(deps.catalogPosition, deps.maxConsistencyWaitMs));
  service.app.use(productRoutes(deps));
  service.finish();
  return service;
}
