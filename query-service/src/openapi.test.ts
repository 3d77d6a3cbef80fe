import pg from 'pg';
import { CATALOG_PROJECTION } from '@shop/read-models';
import { createLogger } from '@shop/service-kit';
import { describeOpenApiConformance } from '@shop/testing';
import { buildQueryApp } from './app.js';
import { InProcessReadCache } from './cache/read-cache.js';
import { PositionTracker } from './read-your-writes/position-tracker.js';

describeOpenApiConformance({
  service: 'query-service',
  gatewayRoutes: (method) => method === 'GET' || method === 'HEAD',
  build: () => {
    // Never queried: building the app only registers routes (the tracker is never started).
    const pool = new pg.Pool();
    const { app } = buildQueryApp({
      pool,
      cache: new InProcessReadCache(),
      catalogPosition: new PositionTracker(pool, CATALOG_PROJECTION),
      logger: createLogger('test', 'silent'),
      maxConsistencyWaitMs: 10,
      readiness: async () => undefined,
    });
    return { app, close: () => pool.end() };
  },
});
