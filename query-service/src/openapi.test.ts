import pg from 'pg';
import { describeOpenApiConformance } from '@shop/testing';
import { buildQueryApp, SERVED_PROJECTIONS } from './app.js';
import { testQueryDeps } from './testing/query-test-app.js';
import { ProjectionPositions } from './read-your-writes/position-tracker.js';

describeOpenApiConformance({
  service: 'query-service',
  gatewayRoutes: (method) => method === 'GET' || method === 'HEAD',
  build: () => {
    // Never queried: building the app only registers routes (the tracker is never started).
    const pool = new pg.Pool();
    const service = buildQueryApp(testQueryDeps(pool, new ProjectionPositions(pool, SERVED_PROJECTIONS), { maxConsistencyWaitMs: 10 }));
    return { routes: service.routes(), close: () => pool.end() };
  },
});
