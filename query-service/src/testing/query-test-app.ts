import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { InMemoryEventStore } from '@shop/kernel';
import { createLogger, createTokenService, type TokenSettings } from '@shop/service-kit';
import { buildQueryApp, type QueryServiceDeps } from '../app.js';
import { InProcessReadCache } from '../cache/read-cache.js';
import { PositionTracker, type ProjectionPositions } from '../read-your-writes/position-tracker.js';

/** The token settings every query-service test signs with. */
export const TEST_TOKEN_SETTINGS: TokenSettings = { secret: 'x'.repeat(40), issuer: 'shop', audience: 'shop-api', ttlSeconds: 60 };

/**
 * The query app's dependencies as a test needs them: tokens signed with TEST_TOKEN_SETTINGS, a silent logger, an
 * in-process cache and an empty audit store; a test overrides what it is about.
 */
export function testQueryDeps(pool: pg.Pool, positions: ProjectionPositions, overrides: Partial<QueryServiceDeps> = {}): QueryServiceDeps {
  return {
    pool,
    positions,
    cache: new InProcessReadCache(),
    tokens: createTokenService(TEST_TOKEN_SETTINGS),
    logger: createLogger('test', 'silent'),
    maxConsistencyWaitMs: 500,
    audit: { store: new InMemoryEventStore(), head: new PositionTracker(async () => 0n) },
    readiness: async () => undefined,
    ...overrides,
  };
}

/** Serves the query app on a free local port. */
export async function serveQueryApp(deps: QueryServiceDeps): Promise<{ server: Server; base: string }> {
  const server = createServer(buildQueryApp(deps).app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
