import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { documentedRoutes, keyIdOf } from '@shop/service-kit';
import { attackTokens, CALLERS, everyone, roleOf, xRolesDisagreements, type Caller } from '@shop/testing';
import { seedDevAccounts, upsertAdmin } from './auth/user-accounts.js';
import { startCommandApp, TEST_PASSWORD, type CommandAppHarness } from './testing/command-app.js';

const OPENAPI = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { 'x-roles'?: string[] }>>;
};
const openApiRoute = (route: string): string => route.replace(/:([a-zA-Z]+)/g, '{$1}');
const address = { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };

/**
 * Every write route × every kind of caller, against real Postgres over HTTP. `owner` is the shopper whose order it
 * is; `otherShopper` is any other shopper (their view of someone else's order is "it does not exist": 404).
 */
/** Only an admin may: everyone else is refused (401 without a token, 403 with one). */
const adminOnly = (status: number): Record<Caller, number> => ({ anonymous: 401, owner: 403, otherShopper: 403, admin: status, auditor: 403, analyst: 403 });

const EXPECTED: Record<string, Record<Caller, number>> = {
  'POST /api/products': adminOnly(201),
  'PATCH /api/products/:id': adminOnly(200),
  'POST /api/products/:id/stock': adminOnly(200),
  'POST /api/products/:id/discontinue': adminOnly(200),
  'POST /api/orders': { anonymous: 401, owner: 201, otherShopper: 201, admin: 403, auditor: 403, analyst: 403 },
  'POST /api/orders/:id/pay': { anonymous: 401, owner: 200, otherShopper: 404, admin: 403, auditor: 403, analyst: 403 },
  'POST /api/orders/:id/cancel': { anonymous: 401, owner: 200, otherShopper: 404, admin: 200, auditor: 403, analyst: 403 },
  'POST /api/orders/:id/ship': adminOnly(200),
  'POST /api/orders/:id/refund': adminOnly(200),
  'POST /api/auth/register': everyone(201),
  'POST /api/auth/login': everyone(200),
  // Each caller logs out an account of its own kind (a logout revokes every token of the account).
  'POST /api/auth/logout': { ...everyone(204), anonymous: 401 },
  // Erasure is the admin's: a shopper cannot erase anyone, not even themselves through this route.
  'POST /api/admin/customers/:customerId/erasure': adminOnly(202),
  'POST /api/admin/projections/:projection/redrive': adminOnly(202),
};

describe('who may call which write route (role × route, real Postgres)', () => {
  let app: CommandAppHarness;
  const tokens = {} as Record<Exclude<Caller, 'anonymous'>, string>;

  beforeAll(async () => {
    app = await startCommandApp();
    tokens.admin = await app.tokenFor('admin@shop.local');
    tokens.auditor = await app.tokenFor('auditor@shop.local');
    tokens.analyst = await app.tokenFor('analyst@shop.local');
    tokens.owner = (await app.newShopper()).token;
    tokens.otherShopper = (await app.newShopper()).token;
  }, 60_000);
  afterAll(() => app.close());

  const tokenOf = (caller: Caller): string | undefined => (caller === 'anonymous' ? undefined : tokens[caller]);

  const newProduct = async (): Promise<string> => {
    const response = await app.request('POST', '/api/products', {
      token: tokens.admin,
      body: { sku: `R-${randomUUID().slice(0, 8)}`, name: 'Role test', description: '', priceCents: 100, currency: 'EUR', initialStock: 100 },
    });
    return ((await response.json()) as { id: string }).id;
  };

  /** A fresh order of the owner's, brought to the state the action needs (paid for ship and refund). */
  const newOrder = async (paid: boolean): Promise<string> => {
    const product = await newProduct();
    const placed = await app.request('POST', '/api/orders', {
      token: tokens.owner,
      body: { lines: [{ productId: product, quantity: 1 }], shippingAddress: address },
      headers: { 'idempotency-key': randomUUID() },
    });
    const { orderId } = (await placed.json()) as { orderId: string };
    if (paid) await app.request('POST', `/api/orders/${orderId}/pay`, { token: tokens.owner, body: { method: 'card' } });
    return orderId;
  };

  const call = async (route: string, caller: Caller): Promise<number> => {
    const token = tokenOf(caller);
    switch (route) {
      case 'POST /api/products':
        return (await app.request('POST', '/api/products', { token, body: { sku: `R-${randomUUID().slice(0, 8)}`, name: 'x', description: '', priceCents: 1, currency: 'EUR', initialStock: 1 } })).status;
      case 'PATCH /api/products/:id':
        return (await app.request('PATCH', `/api/products/${await newProduct()}`, { token, body: { name: 'renamed' }, headers: { 'if-match': '"1"' } })).status;
      case 'POST /api/products/:id/stock':
        return (await app.request('POST', `/api/products/${await newProduct()}/stock`, { token, body: { delta: 5, reason: 'delivery' } })).status;
      case 'POST /api/products/:id/discontinue':
        return (await app.request('POST', `/api/products/${await newProduct()}/discontinue`, { token, body: {} })).status;
      case 'POST /api/orders':
        return (await app.request('POST', '/api/orders', { token, body: { lines: [{ productId: await newProduct(), quantity: 1 }], shippingAddress: address }, headers: { 'idempotency-key': randomUUID() } })).status;
      case 'POST /api/orders/:id/pay':
        return (await app.request('POST', `/api/orders/${await newOrder(false)}/pay`, { token, body: { method: 'card' } })).status;
      case 'POST /api/orders/:id/cancel':
        return (await app.request('POST', `/api/orders/${await newOrder(false)}/cancel`, { token, body: {} })).status;
      case 'POST /api/orders/:id/ship':
        return (await app.request('POST', `/api/orders/${await newOrder(true)}/ship`, { token, body: {} })).status;
      case 'POST /api/orders/:id/refund':
        return (await app.request('POST', `/api/orders/${await newOrder(true)}/refund`, { token, body: {} })).status;
      case 'POST /api/auth/login':
        return (await app.request('POST', '/api/auth/login', { token, body: { email: 'analyst@shop.local', password: TEST_PASSWORD } })).status;
      case 'POST /api/auth/logout': {
        const own = caller === 'anonymous' ? undefined : (await app.newAccount(roleOf(caller))).token;
        return (await app.request('POST', '/api/auth/logout', { token: own })).status;
      }
      case 'POST /api/admin/customers/:customerId/erasure': {
        const { customerId } = await app.newShopper();
        return (await app.request('POST', `/api/admin/customers/${customerId}/erasure`, { token })).status;
      }
      case 'POST /api/admin/projections/:projection/redrive':
        return (await app.request('POST', '/api/admin/projections/customers/redrive', { token })).status;
      case 'POST /api/auth/register':
        return (await app.request('POST', '/api/auth/register', { token, body: { email: `r-${randomUUID()}@example.com`, password: 'long-enough-password', name: 'R' } })).status;
      default:
        throw new Error(`no call for ${route}`);
    }
  };

  it('covers every command-service operation of docs/openapi.json, no more, no less', () => {
    const documented = documentedRoutes(OPENAPI, 'command-service').map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(EXPECTED).map(openApiRoute).sort()).toEqual(documented.sort());
  });

  it('agrees with the x-roles of docs/openapi.json: 401 without a token and 403 exactly for the roles not listed', () => {
    const matrix = Object.fromEntries(Object.entries(EXPECTED).map(([route, answers]) => [openApiRoute(route), answers]));
    expect(xRolesDisagreements(OPENAPI, matrix)).toEqual([]);
  });

  it.each(Object.keys(EXPECTED))('%s answers each caller as its role allows', async (route) => {
    const actual = Object.fromEntries(await Promise.all(CALLERS.map(async (caller) => [caller, await call(route, caller)] as const)));
    expect(actual).toEqual(EXPECTED[route]);
  });
});

describe('JWT attacks and revocation on writes (real Postgres)', () => {
  let app: CommandAppHarness;
  const product = { sku: 'JWT-1', name: 'Target', description: '', priceCents: 100, currency: 'EUR', initialStock: 1 };

  beforeAll(async () => {
    app = await startCommandApp();
  }, 60_000);
  afterAll(() => app.close());

  /** A write with `token` is refused 401 problem+json `unauthenticated`, and appends nothing. */
  const expectRefused = async (token: string, what: string): Promise<void> => {
    const before = await app.eventCount();
    const response = await app.request('POST', '/api/products', { token, body: { ...product, sku: `JWT-${randomUUID().slice(0, 8)}` } });
    const body = (await response.json()) as { code?: string };
    expect({ what, status: response.status, code: body.code, type: response.headers.get('content-type')?.split(';')[0] }).toEqual({
      what,
      status: 401,
      code: 'unauthenticated',
      type: 'application/problem+json',
    });
    expect(await app.eventCount()).toBe(before);
  };

  it('refuses every forged, stale or misdirected token with 401 problem+json and writes nothing', async () => {
    const admin = await app.newAccount('admin');
    // The genuine token of the same account may write: only the attack makes the difference.
    expect((await app.request('POST', '/api/products', { token: admin.token, body: product })).status).toBe(201);
    const attacks = await attackTokens(
      { privateKey: app.signingKeys.privateKey, publicKey: app.signingKeys.publicKey, keyId: keyIdOf(app.signingKeys.publicKey), issuer: 'shop', audience: 'shop-api' },
      { userId: admin.userId, role: 'admin', tokenVersion: 0 },
    );
    expect(Object.keys(attacks)).toEqual(
      expect.arrayContaining(['alg none', 'HS256 signed with the public key (SPKI DER bytes)', 'expired', 'missing exp', 'wrong audience', 'wrong issuer', 'bad kid']),
    );
    for (const [what, token] of Object.entries(attacks)) await expectRefused(token, what);
  });

  it('revokes every token of the account at logout (all its sessions), and a new login works again', async () => {
    const admin = await app.newAccount('admin');
    const otherSession = await app.tokenFor(admin.email);
    expect((await app.request('POST', '/api/auth/logout', { token: admin.token })).status).toBe(204);
    await expectRefused(admin.token, 'the token that logged out');
    await expectRefused(otherSession, 'another session of the same account');
    expect((await app.request('POST', '/api/auth/logout', { token: admin.token })).status).toBe(401);
    const fresh = await app.tokenFor(admin.email);
    expect((await app.request('POST', '/api/products', { token: fresh, body: { ...product, sku: `JWT-${randomUUID().slice(0, 8)}` } })).status).toBe(201);
  });

  it('revokes the tokens of an account whose role changed (create-admin resetting it)', async () => {
    const shopper = await app.newAccount('shopper');
    await upsertAdmin(app.pool, shopper.email, 'a brand new admin passphrase');
    const before = await app.eventCount();
    const response = await app.request('POST', '/api/orders', {
      token: shopper.token,
      body: { lines: [{ productId: randomUUID(), quantity: 1 }], shippingAddress: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' } },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect({ status: response.status, code: ((await response.json()) as { code?: string }).code }).toEqual({ status: 401, code: 'unauthenticated' });
    expect(await app.eventCount()).toBe(before);
    // The reset account signs in with its new password, as an admin.
    const admin = await app.request('POST', '/api/auth/login', { body: { email: shopper.email, password: 'a brand new admin passphrase' } });
    expect(await admin.json()).toMatchObject({ role: 'admin' });
  });

  it('keeps the sessions of a dev account re-seeded with the same role, and revokes them when its role changes', async () => {
    const token = await app.tokenFor('auditor@shop.local');
    await seedDevAccounts(app.pool, app.store, TEST_PASSWORD);
    const stillValid = await app.request('POST', '/api/products', { token, body: product });
    expect(stillValid.status).toBe(403); // authenticated (an auditor may not create products), so not revoked
    await app.pool.query("UPDATE user_accounts SET role = 'analyst' WHERE email = 'auditor@shop.local'");
    await seedDevAccounts(app.pool, app.store, TEST_PASSWORD); // back to auditor: a role change
    await expectRefused(token, 'a dev account whose role the seed changed');
  });
});
