import pg from 'pg';
import { InMemoryEventStore } from '@shop/kernel';
import { createLogger, createTokenService } from '@shop/service-kit';
import { describeOpenApiConformance } from '@shop/testing';
import { buildQueryApp, SERVED_PROJECTIONS } from './app.js';
import { InProcessReadCache } from './cache/read-cache.js';
import { PositionTracker, ProjectionPositions } from './read-your-writes/position-tracker.js';

describeOpenApiConformance({
  service: 'query-service',
  gatewayRoutes: (method) => method === 'GET' || method === 'HEAD',
  build: () => {
    // Never queried: building the app only registers routes (the tracker is never started).
    const pool = new pg.Pool();
    const { app } = buildQueryApp({
      pool,
      cache: new InProcessReadCache(),
      positions: new ProjectionPositions(pool, SERVED_PROJECTIONS),
      tokens: createTokenService({ secret: 'x'.repeat(40), issuer: 'shop', audience: 'shop-api', ttlSeconds: 60 }),
      logger: createLogger('test', 'silent'),
      maxConsistencyWaitMs: 10,
      readiness: async () => undefined,
      audit: { store: new InMemoryEventStore(), head: new PositionTracker(async () => 0n) },
    });
    return { app, close: () => pool.end() };
  },
});
