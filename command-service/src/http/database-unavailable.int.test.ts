import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCommandApp, type CommandAppHarness } from '../testing/command-app.js';

const address = { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 1AA', country: 'GB' };

/**
 * The database vanishing under the command service (a restart, a partition), made real with a TCP proxy between the
 * service and Postgres that is cut and restored: writes answer 503 with Retry-After instead of 500, the process stays
 * up, and once the database is back a retry with the same Idempotency-Key places the order exactly once.
 */
describe('the command service while Postgres is out of reach (real Postgres behind a TCP proxy)', () => {
  let app: CommandAppHarness;
  let admin: string;
  let shopper: string;
  let productId: string;

  const placeOrder = (key: string) =>
    app.request('POST', '/api/orders', { token: shopper, body: { lines: [{ productId, quantity: 1 }], shippingAddress: address }, headers: { 'idempotency-key': key } });

  const expectUnavailable = async (response: Response): Promise<void> => {
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ status: 503, code: 'unavailable' });
  };

  beforeAll(async () => {
    app = await startCommandApp(undefined, { behindProxy: true });
    admin = await app.tokenFor('admin@shop.local');
    shopper = (await app.newShopper()).token;
    const created = await app.request('POST', '/api/products', {
      token: admin,
      body: { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Thing', description: '', priceCents: 500, currency: 'EUR', initialStock: 10 },
    });
    expect(created.status).toBe(201);
    productId = ((await created.json()) as { id: string }).id;
    // Warm: the product's state is cached, so the order's first database work is its append.
    expect((await placeOrder(randomUUID())).status).toBe(201);
  }, 60_000);
  afterAll(() => app.close());

  it('answers 503 with Retry-After, never 500, and places the order exactly once when retried after the database is back', async () => {
    const key = randomUUID();
    const ordersBefore = await app.eventCount();
    await app.proxy!.cut();
    try {
      await expectUnavailable(await placeOrder(key));
      // A create that claims its key on its own (not in the append) is refused the same way.
      await expectUnavailable(
        await app.request('POST', '/api/products', {
          token: admin,
          body: { sku: 'SKU-OUTAGE', name: 'Thing', description: '', priceCents: 500, currency: 'EUR', initialStock: 1 },
          headers: { 'idempotency-key': randomUUID() },
        }),
      );
    } finally {
      await app.proxy!.restore();
    }
    const placed = await placeOrder(key);
    expect(placed.status).toBe(201);
    const { orderId } = (await placed.json()) as { orderId: string };
    const replayed = await placeOrder(key);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replayed.json()) as { orderId: string }).orderId).toBe(orderId);
    // One order and its one reservation: nothing was written during the outage, nothing twice after it.
    expect(await app.eventCount()).toBe(ordersBefore + 2);
  });
});
