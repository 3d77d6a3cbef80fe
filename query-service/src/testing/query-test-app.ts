import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { InMemoryEventStore } from '@shop/kernel';
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
import { buildQueryApp, type QueryServiceDeps } from '../app.js';
import { InProcessReadCache } from '../cache/read-cache.js';
import { PositionTracker, type ProjectionPositions } from '../read-your-writes/position-tracker.js';

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
  const server = createServer(buildQueryApp(deps).app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
