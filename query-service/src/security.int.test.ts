import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { orderStreamId, productStreamId, type OrderPlaced, type ProductCreated } from '@shop/domain';
import { applySchema, createPool, PostgresEventStore, type NewEvent } from '@shop/kernel';
import { PROJECTIONS } from '@shop/projector';
import { orderCacheKey } from '@shop/read-models';
import { CachedTokenVersions, accountTokenVersions, createLogger, createTokenVerifier, documentedRoutes, keyIdOf, TokenRevoked } from '@shop/service-kit';
import { attackTokens, CALLERS, everyone, startTestPostgres, startTestRedis, xRolesDisagreements, type Caller, type TestPostgres, type TestRedis } from '@shop/testing';
import { SERVED_PROJECTIONS } from './app.js';
import { StoreHead } from './audit/store-head.js';
import { RedisReadCache } from './cache/read-cache.js';
import { ProjectionPositions } from './read-your-writes/position-tracker.js';
import { catchUpFromStore } from './testing/catch-up.js';
import { serveQueryApp, TEST_AUDIENCE, TEST_ISSUER, TEST_TOKENS, testQueryDeps } from './testing/query-test-app.js';

/**
 * The query service as an attacker meets it (issue 14 §8): every read route × every kind of caller, BOLA on every
 * id-bearing route (a cache hit included), and forged, stale and revoked tokens. Real Postgres (read models built by
 * the projector's own projections from real events), real Redis, the real token verifier and revocation check.
 */


const analysts = { anonymous: 401, owner: 403, otherShopper: 403, admin: 200, auditor: 403, analyst: 200 };
const auditors = { anonymous: 401, owner: 403, otherShopper: 403, admin: 403, auditor: 200, analyst: 403 };

/** Every query-service operation of docs/openapi.json × every caller. `owner` is the shopper whose order it is. */
const EXPECTED: Record<string, Record<Caller, number>> = {
  'GET /api/products': everyone(200),
  'GET /api/products/{id}': everyone(200),
  'GET /api/orders': { anonymous: 401, owner: 200, otherShopper: 200, admin: 200, auditor: 200, analyst: 403 },
  // Another shopper's order does not exist for them: 404, exactly like a missing one (BOLA).
  'GET /api/orders/{id}': { anonymous: 401, owner: 200, otherShopper: 404, admin: 200, auditor: 200, analyst: 403 },
  'GET /api/analytics/sales': analysts,
  'GET /api/analytics/top-products': analysts,
  'GET /api/analytics/stock': analysts,
  // The audit trail is the auditor's alone, even for the shopper whose order it is.
  'GET /api/audit/streams/{stream}': auditors,
  'GET /api/audit/events': auditors,
  'GET /api/audit/orders/{id}': auditors,
  'GET /api/audit/verify': auditors,
  'GET /api/audit/events.ndjson': auditors,
  'GET /api/audit/orders/{id}/diff': auditors,
  // Operations: the dead letters are the admin's (the events may carry what only an admin may see).
  'GET /api/admin/dead-letters': { anonymous: 401, owner: 403, otherShopper: 403, admin: 200, auditor: 403, analyst: 403 },
};

const OPENAPI = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { 'x-roles'?: string[] }>>;
};

const metadata = { correlationId: 'security-test', causationId: 'security-test', actor: { system: 'test' } };
const toNew = (event: { type: string; data: Record<string, unknown> }): NewEvent => ({ eventId: randomUUID(), type: event.type, schemaVersion: 1, data: event.data, metadata });
const RANGE = 'from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z';

describe('query-service security (real Postgres and Redis, over HTTP)', () => {
  let database: TestPostgres;
  let cacheServer: TestRedis;
  let redis: Redis;
  let pool: pg.Pool;
  let positions: ProjectionPositions;
  let head: StoreHead;
  let server: Server;
  let base: string;
  const alice = { userId: randomUUID(), customerId: randomUUID() };
  const bob = { userId: randomUUID(), customerId: randomUUID() };
  const productId = randomUUID();
  const orderId = randomUUID();
  const tokens = {} as Record<Exclude<Caller, 'anonymous'>, string>;

  const pathOf = (route: string): string => {
    const [, path] = route.split(' ') as [string, string];
    const concrete = path.replace('{id}', path.startsWith('/api/products/') ? productId : orderId).replace('{stream}', orderStreamId(orderId));
    return concrete.startsWith('/api/analytics/sales') || concrete.startsWith('/api/analytics/top-products') ? `${concrete}?${RANGE}` : concrete;
  };
  const get = (path: string, token?: string): Promise<Response> => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    [database, cacheServer] = await Promise.all([startTestPostgres(), startTestRedis()]);
    pool = createPool(database.url, { max: 10 });
    await applySchema(pool);
    const store = new PostgresEventStore(pool);
    const created: ProductCreated = {
      type: 'ProductCreated',
      data: { productId, sku: 'SEC-1', name: 'Lock', description: 'Sturdy', priceCents: 1500, currency: 'EUR', initialStock: 10 },
    };
    await store.appendToStream(productStreamId(productId), 'no_stream', [toNew(created)]);
    const placed: OrderPlaced = {
      type: 'OrderPlaced',
      data: {
        orderId,
        customerId: alice.customerId,
        lines: [{ productId, sku: 'SEC-1', name: 'Lock', quantity: 1, unitPriceCents: 1500, lineTotalCents: 1500 }],
        currency: 'EUR',
        totalCents: 1500,
        shippingAddress: { name: 'Alice', line1: '1 Private Road', city: 'Oslo', postalCode: '0150', country: 'NO' },
        placedAt: new Date().toISOString(),
      },
    };
    await store.appendToStream(orderStreamId(orderId), 'no_stream', [toNew(placed)]);
    // The read models as the projector builds them, with its own projections.
    for (const name of ['catalog', 'orders']) await catchUpFromStore(pool, store, PROJECTIONS[name]!.projection);
    positions = new ProjectionPositions(pool, SERVED_PROJECTIONS);
    await positions.start(database.url);
    head = new StoreHead(pool);
    await head.start(database.url);
    redis = new Redis(cacheServer.url);
    ({ server, base } = await serveQueryApp(
      testQueryDeps(pool, positions, { cache: new RedisReadCache(redis, createLogger('test', 'silent')), audit: { store, head: head.tracker } }),
    ));
    tokens.owner = await TEST_TOKENS.issue(pool, { ...alice, role: 'shopper' });
    tokens.otherShopper = await TEST_TOKENS.issue(pool, { ...bob, role: 'shopper' });
    for (const role of ['admin', 'auditor', 'analyst'] as const) tokens[role] = await TEST_TOKENS.issue(pool, { userId: randomUUID(), role });
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await positions.stop();
    await head.stop();
    redis.disconnect();
    await pool.end();
    await Promise.all([database.stop(), cacheServer.stop()]);
  });

  describe('role × route', () => {
    it('covers every query-service operation of docs/openapi.json, no more, no less', () => {
      const documented = documentedRoutes(OPENAPI, 'query-service').map((r) => `${r.method} ${r.path}`);
      expect(Object.keys(EXPECTED).sort()).toEqual(documented.sort());
    });

    it('agrees with the x-roles of docs/openapi.json: 401 without a token and 403 exactly for the roles not listed', () => {
      expect(xRolesDisagreements(OPENAPI, EXPECTED)).toEqual([]);
    });

    it.each(Object.keys(EXPECTED))('%s answers each caller as its role allows', async (route) => {
      const actual = Object.fromEntries(
        await Promise.all(CALLERS.map(async (caller) => [caller, (await get(pathOf(route), caller === 'anonymous' ? undefined : tokens[caller])).status] as const)),
      );
      expect(actual).toEqual(EXPECTED[route]);
    });

    it('answers every refusal as problem+json with a stable code', async () => {
      for (const [route, expected] of Object.entries(EXPECTED)) {
        for (const caller of CALLERS.filter((c) => expected[c] >= 400)) {
          const response = await get(pathOf(route), caller === 'anonymous' ? undefined : tokens[caller]);
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          const codes: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden', 404: 'order_not_found' };
          expect({ route, caller, code: ((await response.json()) as { code: string }).code }).toEqual({ route, caller, code: codes[response.status] });
        }
      }
    });
  });

  describe('BOLA: another shopper\'s order', () => {
    const problemOf = async (response: Response): Promise<{ status: number; code: string; keys: string[] }> => {
      const body = (await response.json()) as Record<string, unknown>;
      return { status: response.status, code: String(body.code), keys: Object.keys(body).sort() };
    };

    it('answers another shopper exactly what a missing order answers, also when the order is served from the cache', async () => {
      expect((await get(`/api/orders/${orderId}`, tokens.owner)).status).toBe(200);
      // The owner's read stored the entry: Bob's request below is a cache hit.
      expect(await redis.get(orderCacheKey(orderId))).not.toBeNull();
      const forBob = await problemOf(await get(`/api/orders/${orderId}`, tokens.otherShopper));
      const missing = await problemOf(await get(`/api/orders/${randomUUID()}`, tokens.otherShopper));
      expect(forBob).toEqual({ ...missing, status: 404 });
    });

    it('never lists another shopper\'s order', async () => {
      const page = (await (await get('/api/orders?limit=100', tokens.otherShopper)).json()) as { items: Array<{ id: string }> };
      expect(page.items.map((o) => o.id)).not.toContain(orderId);
      const own = (await (await get('/api/orders?limit=100', tokens.owner)).json()) as { items: Array<{ id: string }> };
      expect(own.items.map((o) => o.id)).toContain(orderId);
    });

    it('gives a shopper token without a customer no order at all', async () => {
      const noCustomer = await TEST_TOKENS.issue(pool, { userId: randomUUID(), role: 'shopper' });
      expect((await get(`/api/orders/${orderId}`, noCustomer)).status).toBe(404);
    });

    it('keeps the audit of an order from its own shopper: 403 on the order and its stream', async () => {
      for (const path of [`/api/audit/orders/${orderId}`, `/api/audit/streams/${orderStreamId(orderId)}`]) {
        expect({ path, status: (await get(path, tokens.owner)).status }).toEqual({ path, status: 403 });
      }
    });
  });

  describe('JWT attacks', () => {
    const service = () => ({ privateKey: TEST_TOKENS.keys.privateKey, publicKey: TEST_TOKENS.keys.publicKey, keyId: keyIdOf(TEST_TOKENS.keys.publicKey), issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
    const expect401 = async (token: string, what: string): Promise<void> => {
      for (const path of ['/api/orders', '/api/audit/verify']) {
        const response = await get(path, token);
        const body = (await response.json()) as { code?: string };
        expect({ what, path, status: response.status, code: body.code, type: response.headers.get('content-type')?.split(';')[0], challenge: response.headers.get('www-authenticate') }).toEqual({
          what,
          path,
          status: 401,
          code: 'unauthenticated',
          type: 'application/problem+json',
          challenge: 'Bearer',
        });
      }
    };

    it('refuses every forged, stale or misdirected token with 401 problem+json', async () => {
      // The victim is a real auditor account: its genuine token reads both routes (200 on the audit one).
      const victim = { userId: randomUUID(), role: 'auditor' as const };
      const genuine = await TEST_TOKENS.issue(pool, victim);
      expect((await get('/api/audit/verify', genuine)).status).toBe(200);
      const attacks = await attackTokens(service(), { ...victim, tokenVersion: 0 });
      expect(Object.keys(attacks)).toEqual(expect.arrayContaining(['alg none', 'HS256 signed with the public key (SPKI DER bytes)', 'expired', 'missing exp', 'wrong audience', 'wrong issuer', 'bad kid']));
      for (const [what, token] of Object.entries(attacks)) await expect401(token, what);
    });

    it('refuses a token after its account logged out (token version bumped)', async () => {
      const victim = { userId: randomUUID(), role: 'auditor' as const };
      const token = await TEST_TOKENS.issue(pool, victim);
      expect((await get('/api/audit/verify', token)).status).toBe(200);
      // What POST /api/auth/logout does in the command service (command-service auth/user-accounts.ts revokeTokens).
      await pool.query('UPDATE user_accounts SET token_version = token_version + 1 WHERE id = $1', [victim.userId]);
      await expect401(token, 'after logout');
    });

    it('refuses a token after its account\'s role changed (create-admin reset)', async () => {
      const victim = { userId: randomUUID(), role: 'auditor' as const };
      const token = await TEST_TOKENS.issue(pool, victim);
      expect((await get('/api/audit/verify', token)).status).toBe(200);
      // What create-admin does to an existing account (command-service auth/user-accounts.ts upsertAdmin).
      await pool.query("UPDATE user_accounts SET role = 'admin', token_version = token_version + 1 WHERE id = $1", [victim.userId]);
      await expect401(token, 'after a role change');
    });

    it('refuses the token of an account that was removed', async () => {
      const victim = { userId: randomUUID(), role: 'auditor' as const };
      const token = await TEST_TOKENS.issue(pool, victim);
      await pool.query('DELETE FROM user_accounts WHERE id = $1', [victim.userId]);
      await expect401(token, 'account removed');
    });

    it('lets a revoked token read for at most TOKEN_VERSION_CACHE_MS (the documented bound), then refuses it', async () => {
      let now = 1_000_000;
      const verifier = createTokenVerifier({
        publicKey: TEST_TOKENS.keys.publicKey,
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        versions: new CachedTokenVersions(accountTokenVersions(pool), { ttlMs: 5_000, maxEntries: 100, now: () => now }),
      });
      const victim = { userId: randomUUID(), role: 'auditor' as const };
      const token = await TEST_TOKENS.issue(pool, victim);
      await verifier.verify(token);
      await pool.query('UPDATE user_accounts SET token_version = token_version + 1 WHERE id = $1', [victim.userId]);
      now += 4_999;
      await expect(verifier.verify(token)).resolves.toMatchObject({ userId: victim.userId });
      now += 1;
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenRevoked);
    });
  });
});
