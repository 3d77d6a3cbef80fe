import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { InMemoryEventStore, type EventStore } from '@shop/kernel';
import {
  accountTokenVersions,
  CachedTokenVersions,
  createLogger,
  createTokenSigner,
  createTokenVerifier,
  generateEd25519KeyPair,
  type Ed25519KeyPair,
  type Principal,
  type TokenVerifier,
} from '@shop/service-kit';
import { buildQueryApp, SERVED_PROJECTIONS, type QueryServiceDeps } from '../app.js';
import { StoreHead } from '../audit/store-head.js';
import { InProcessReadCache } from '../cache/read-cache.js';
import { PositionTracker, ProjectionPositions } from '../read-your-writes/position-tracker.js';
import type { TestDatabase } from './test-database.js';

export const TEST_ISSUER = 'shop';
export const TEST_AUDIENCE = 'shop-api';

/**
 * Tokens as the command service issues them, for a query app under test: a key pair generated per test file (nothing
 * committed), and accounts that really exist in the test database, so the app's revocation check is the real one.
 */
export interface TestTokens {
  readonly keys: Ed25519KeyPair;
  /** The verifier the app under test uses: real signature check, real token versions from `pool`'s user_accounts. */
  verifier(pool: pg.Pool, cacheMs?: number): TokenVerifier;
  /** A token for `principal`, whose account is created in `pool`'s database if new; signed at its current version. */
  issue(pool: pg.Pool, principal: Omit<Principal, 'tokenVersion'>): Promise<string>;
}

export function createTestTokens(): TestTokens {
  const keys = generateEd25519KeyPair();
  const signer = createTokenSigner({ privateKey: keys.privateKey, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds: 60 });
  return {
    keys,
    verifier: (pool, cacheMs = 0) =>
      createTokenVerifier({
        publicKey: keys.publicKey,
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        versions: new CachedTokenVersions(accountTokenVersions(pool), { ttlMs: cacheMs, maxEntries: 1_000 }),
      }),
    async issue(pool, principal) {
      // No password: the account exists for its token version only (login is the command service's business).
      const { rows } = await pool.query<{ token_version: number }>(
        `WITH inserted AS (
           INSERT INTO user_accounts (id, email, password_hash, role, customer_id) VALUES ($1::uuid, $1::text || '@accounts.test', '!', $2, $3)
           ON CONFLICT (id) DO NOTHING RETURNING token_version)
         SELECT token_version FROM inserted UNION ALL SELECT token_version FROM user_accounts WHERE id = $1::uuid`,
        [principal.userId, principal.role, principal.customerId ?? null],
      );
      return signer.issue({ ...principal, tokenVersion: rows[0]!.token_version });
    },
  };
}

/** The tokens `testQueryDeps` verifies by default (one key pair per test file). */
export const TEST_TOKENS = createTestTokens();

/**
 * The query app's dependencies as a test needs them: tokens verified against TEST_TOKENS, a silent logger, an
 * in-process cache and an empty audit store; a test overrides what it is about.
 */
export function testQueryDeps(pool: pg.Pool, positions: ProjectionPositions, overrides: Partial<QueryServiceDeps> = {}): QueryServiceDeps {
  return {
    pool,
    positions,
    cache: new InProcessReadCache(),
    tokens: TEST_TOKENS.verifier(pool),
    logger: createLogger('test', 'silent'),
    maxConsistencyWaitMs: 500,
    audit: { store: new InMemoryEventStore(), head: new PositionTracker(async () => 0n) },
    readiness: async () => undefined,
    ...overrides,
  };
}

/** Serves the query app on a free local port. */
export async function serveQueryApp(deps: QueryServiceDeps): Promise<{ server: Server; base: string }> {
  const server = createServer(buildQueryApp(deps).listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A query app a suite started, at `base`; stop() closes it and what was started for it. */
export interface RunningQueryApp {
  readonly base: string;
  stop(): Promise<void>;
}

/** A query app over read models, with the positions it follows (a suite waits on them or refreshes them). */
export interface ReadModelsApp extends RunningQueryApp {
  readonly positions: ProjectionPositions;
}

const closeServer = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/**
 * The query app over `database`'s read models, following their positions as production does (LISTEN on the
 * projection channel, started before the app serves). `pool` is the database's own unless the suite wraps it.
 */
export async function serveReadModels(
  database: TestDatabase,
  overrides: Partial<QueryServiceDeps> = {},
  pool: pg.Pool = database.pool,
): Promise<ReadModelsApp> {
  const positions = new ProjectionPositions(database.pool, SERVED_PROJECTIONS);
  await positions.start(database.url);
  const { server, base } = await serveQueryApp(testQueryDeps(pool, positions, overrides));
  return {
    base,
    positions,
    async stop() {
      await closeServer(server);
      await positions.stop();
    },
  };
}

/**
 * The query app with its audit routes over `audit.store`, the store head followed as production does (LISTEN on
 * the events channel). The read models' positions are not followed: the audit routes do not read them.
 */
export async function serveAudit(database: TestDatabase, audit: { store: EventStore; exportBatchSize?: number }): Promise<RunningQueryApp> {
  const head = new StoreHead(database.pool);
  await head.start(database.url);
  const positions = new ProjectionPositions(database.pool, SERVED_PROJECTIONS);
  const { server, base } = await serveQueryApp(testQueryDeps(database.pool, positions, { audit: { ...audit, head: head.tracker } }));
  return {
    base,
    async stop() {
      await closeServer(server);
      await head.stop();
    },
  };
}
