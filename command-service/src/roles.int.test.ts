import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCommandApp, type CommandAppHarness } from './testing/command-app.js';

type Caller = 'anonymous' | 'owner' | 'otherShopper' | 'admin' | 'auditor' | 'analyst';
const CALLERS: Caller[] = ['anonymous', 'owner', 'otherShopper', 'admin', 'auditor', 'analyst'];
const address = { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };

/**
 * Every write route × every kind of caller, against real Postgres over HTTP. `owner` is the shopper whose order it
 * is; `otherShopper` is any other shopper (their view of someone else's order is "it does not exist": 404).
 */
const EXPECTED: Record<string, Record<Caller, number>> = {
  'POST /api/products': { anonymous: 401, owner: 403, otherShopper: 403, admin: 201, auditor: 403, analyst: 403 },
  'PATCH /api/products/:id': { anonymous: 401, owner: 403, otherShopper: 403, admin: 200, auditor: 403, analyst: 403 },
  'POST /api/products/:id/stock': { anonymous: 401, owner: 403, otherShopper: 403, admin: 200, auditor: 403, analyst: 403 },
  'POST /api/products/:id/discontinue': { anonymous: 401, owner: 403, otherShopper: 403, admin: 200, auditor: 403, analyst: 403 },
  'POST /api/orders': { anonymous: 401, owner: 201, otherShopper: 201, admin: 403, auditor: 403, analyst: 403 },
  'POST /api/orders/:id/pay': { anonymous: 401, owner: 200, otherShopper: 404, admin: 403, auditor: 403, analyst: 403 },
  'POST /api/orders/:id/cancel': { anonymous: 401, owner: 200, otherShopper: 404, admin: 200, auditor: 403, analyst: 403 },
  'POST /api/orders/:id/ship': { anonymous: 401, owner: 403, otherShopper: 403, admin: 200, auditor: 403, analyst: 403 },
  'POST /api/orders/:id/refund': { anonymous: 401, owner: 403, otherShopper: 403, admin: 200, auditor: 403, analyst: 403 },
  'POST /api/auth/register': { anonymous: 201, owner: 201, otherShopper: 201, admin: 201, auditor: 201, analyst: 201 },
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
      case 'POST /api/auth/register':
        return (await app.request('POST', '/api/auth/register', { token, body: { email: `r-${randomUUID()}@example.com`, password: 'long-enough-password', name: 'R' } })).status;
      default:
        throw new Error(`no call for ${route}`);
    }
  };

  it.each(Object.keys(EXPECTED))('%s answers each caller as its role allows', async (route) => {
    const actual = Object.fromEntries(await Promise.all(CALLERS.map(async (caller) => [caller, await call(route, caller)] as const)));
    expect(actual).toEqual(EXPECTED[route]);
  });
});
