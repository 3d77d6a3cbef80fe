import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitUntilIdle } from '@shop/kernel';
import { startCommandApp, type CommandAppHarness } from '../testing/command-app.js';

const address = { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 1AA', country: 'GB' };

describe('orders over HTTP (real Postgres)', () => {
  let app: CommandAppHarness;
  let admin: string;

  const createProduct = async (overrides: Record<string, unknown> = {}): Promise<string> => {
    const response = await app.request('POST', '/api/products', {
      token: admin,
      body: { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Thing', description: '', priceCents: 1250, currency: 'EUR', initialStock: 10, ...overrides },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };

  const placeOrder = (token: string, lines: Array<{ productId: string; quantity: number }>, key = randomUUID(), extra: Record<string, unknown> = {}) =>
    app.request('POST', '/api/orders', { token, body: { lines, shippingAddress: address, ...extra }, headers: { 'idempotency-key': key } });

  /** One shopper, one new product and one Idempotency-Key: `order(n)` asks for n units of it under that key. */
  const keyedOrders = async (productOverrides: Record<string, unknown> = {}) => {
    const shopper = await app.newShopper();
    const productId = await createProduct(productOverrides);
    const key = randomUUID();
    return { shopper, productId, key, order: (quantity: number) => placeOrder(shopper.token, [{ productId, quantity }], key) };
  };

  const stockOf = async (productId: string): Promise<number> => {
    // The write side's own view: replay the product stream (the read model is the projector's business).
    const events = await app.store.readStream(`product-${productId}`);
    let available = 0;
    for (const event of events) {
      const data = event.data as { initialStock?: number; quantity?: number; delta?: number };
      if (event.type === 'ProductCreated') available = data.initialStock!;
      if (event.type === 'StockReceived') available += data.quantity!;
      if (event.type === 'StockAdjusted') available += data.delta!;
      if (event.type === 'StockReserved') available -= data.quantity!;
      if (event.type === 'StockReleased') available += data.quantity!;
    }
    return available;
  };

  beforeAll(async () => {
    app = await startCommandApp();
    admin = await app.tokenFor('admin@shop.local');
  }, 60_000);
  afterAll(() => app.close());

  describe('placing orders', () => {
    it('prices lines from the catalog, answers 201 with the total, and reserves the stock', async () => {
      const shopper = await app.newShopper();
      const mug = await createProduct({ priceCents: 1250 });
      const pot = await createProduct({ priceCents: 399 });
      const response = await placeOrder(shopper.token, [{ productId: mug, quantity: 2 }, { productId: pot, quantity: 3 }]);
      expect(response.status).toBe(201);
      const body = (await response.json()) as { orderId: string; status: string; totalCents: number };
      expect(body).toMatchObject({ status: 'placed', totalCents: 2 * 1250 + 3 * 399 });
      expect(response.headers.get('location')).toBe(`/api/orders/${body.orderId}`);
      expect(response.headers.get('etag')).toBe('"1"');
      expect(Number(response.headers.get('consistency-token'))).toBeGreaterThan(0);
      expect(await stockOf(mug)).toBe(8);
      expect(await stockOf(pot)).toBe(7);
      const [placed] = await app.store.readStream(`order-${body.orderId}`);
      expect(placed!.data).toMatchObject({ customerId: shopper.customerId, totalCents: 3697 });
      expect(placed!.metadata.actor).toMatchObject({ role: 'shopper' });
    });

    it('sells exactly the stock in a flash sale of 200 concurrent orders for 50 items; every other order gets 409 out_of_stock', async () => {
      const shopper = await app.newShopper();
      const hot = await createProduct({ initialStock: 50 });
      const responses = await Promise.all(Array.from({ length: 200 }, () => placeOrder(shopper.token, [{ productId: hot, quantity: 1 }])));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(50);
      expect(statuses.filter((s) => s === 409)).toHaveLength(150);
      const problems = await Promise.all(responses.filter((r) => r.status === 409).map((r) => r.json() as Promise<{ code: string }>));
      expect(new Set(problems.map((p) => p.code))).toEqual(new Set(['out_of_stock']));
      expect(await stockOf(hot)).toBe(0);
    }, 60_000);

    it('refuses an order for more than is available without reserving anything', async () => {
      const shopper = await app.newShopper();
      const plenty = await createProduct({ initialStock: 100 });
      const scarce = await createProduct({ initialStock: 1 });
      const response = await placeOrder(shopper.token, [{ productId: plenty, quantity: 5 }, { productId: scarce, quantity: 2 }]);
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ code: 'out_of_stock' });
      expect(await stockOf(plenty)).toBe(100);
      expect(await stockOf(scarce)).toBe(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the stored answer for the same key and body, without a second order', async () => {
      const { productId: product, order } = await keyedOrders();
      const first = await order(1);
      const again = await order(1);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(await first.json());
      expect(again.headers.get('consistency-token')).toBe(first.headers.get('consistency-token'));
      expect(await stockOf(product)).toBe(9);
    });

    it('replays retries sent the moment the first answer arrives (its answer may still be being stored)', async () => {
      const { productId: product, order } = await keyedOrders();
      const first = await order(1);
      const retries = [];
      for (let n = 0; n < 5; n++) retries.push(await order(1));
      expect(first.status).toBe(201);
      for (const retry of retries) {
        expect(retry.status).toBe(201);
        expect(retry.headers.get('idempotent-replayed')).toBe('true');
      }
      expect(await stockOf(product)).toBe(9);
    });

    it('answers 422 for the same key with a different body', async () => {
      const { productId: product, order } = await keyedOrders();
      await order(1);
      const other = await order(2);
      expect(other.status).toBe(422);
      expect(await other.json()).toMatchObject({ code: 'idempotency_key_reused' });
      expect(await stockOf(product)).toBe(9);
    });

    it('lets one of two concurrent duplicates through and answers the other 409 (or the replay), placing one order', async () => {
      const { productId: product, order } = await keyedOrders();
      const [a, b] = await Promise.all([0, 1].map(() => order(1)));
      const statuses = [a!.status, b!.status].sort();
      expect(statuses[0]).toBe(201);
      expect([201, 409]).toContain(statuses[1]);
      expect(await stockOf(product)).toBe(9);
    });

    it('places one order for eight concurrent duplicates, whose key is claimed in the order\'s own append', async () => {
      const { productId: product, order } = await keyedOrders();
      const responses = await Promise.all(Array.from({ length: 8 }, () => order(1)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      const fresh = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
      expect(fresh).toHaveLength(1);
      expect(await stockOf(product)).toBe(9);
    });

    it('replays the first order\'s answer to a retry even once its product has sold out', async () => {
      const { productId: lastOne, order } = await keyedOrders({ initialStock: 1 });
      const first = await order(1);
      const retry = await order(1);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await retry.json()).toEqual(await first.json());
      expect(await stockOf(lastOne)).toBe(0);
    });

    it.each([
      ['a new order', 10],
      ['the order that took the last unit (the retry alone would be refused)', 1],
    ])('answers a retry from the store when the first answer was never stored (its process died): %s', async (_what, stock) => {
      const shopper = await app.newShopper();
      const mug = await createProduct({ initialStock: stock });
      const pot = await createProduct({ initialStock: 10 });
      const key = randomUUID();
      const lines = [
        { productId: mug, quantity: 1 },
        { productId: pot, quantity: 2 },
      ];
      const first = await placeOrder(shopper.token, lines, key);
      expect(first.status).toBe(201);
      // As if the process had died between the commit and storing its answer: the key stays in progress, no answer.
      await waitUntilIdle([app.pool]);
      await app.pool.query(
        "UPDATE idempotency_keys SET state = 'in_progress', response_status = NULL, response_headers = NULL, response_body = NULL WHERE key = $1",
        [key],
      );
      const eventsBefore = await app.eventCount();
      const retry = await placeOrder(shopper.token, lines, key);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      for (const header of ['content-type', 'location', 'etag', 'consistency-token']) {
        expect([header, retry.headers.get(header)]).toEqual([header, first.headers.get(header)]);
      }
      expect(await retry.text()).toBe(await first.text());
      expect(await app.eventCount()).toBe(eventsBefore);
      // The recovered answer is stored: the key is answered from now on like any other.
      const again = await placeOrder(shopper.token, lines, key);
      expect(again.status).toBe(201);
      expect((await app.pool.query<{ state: string }>('SELECT state FROM idempotency_keys WHERE key = $1', [key])).rows[0]!.state).toBe('done');
    });

    it('stores a refusal too: the same key replays it, and another body with that key is refused 422', async () => {
      const { productId: scarce, order } = await keyedOrders({ initialStock: 1 });
      const refused = await order(2);
      const replayed = await order(2);
      const other = await order(1);
      expect(refused.status).toBe(409);
      expect(replayed.status).toBe(409);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(await replayed.json()).toEqual(await refused.json());
      expect(other.status).toBe(422);
      expect(await other.json()).toMatchObject({ code: 'idempotency_key_reused' });
      expect(await stockOf(scarce)).toBe(1);
    });

    it('stores the answer to a bad body, and does not let the key place an order afterwards', async () => {
      const { productId: product, order } = await keyedOrders();
      const bad = await order(0);
      const replayed = await order(0);
      const valid = await order(1);
      expect(bad.status).toBe(400);
      expect(replayed.status).toBe(400);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(valid.status).toBe(422);
      expect(await stockOf(product)).toBe(10);
    });

    it('scopes keys per user: another shopper may use the same key for their own order', async () => {
      const [one, two] = [await app.newShopper(), await app.newShopper()];
      const product = await createProduct();
      const key = randomUUID();
      const first = (await (await placeOrder(one.token, [{ productId: product, quantity: 1 }], key)).json()) as { orderId: string };
      const second = await placeOrder(two.token, [{ productId: product, quantity: 1 }], key);
      expect(second.status).toBe(201);
      expect(((await second.json()) as { orderId: string }).orderId).not.toBe(first.orderId);
    });

    it('requires the key on order creation', async () => {
      const shopper = await app.newShopper();
      const product = await createProduct();
      const response = await app.request('POST', '/api/orders', { token: shopper.token, body: { lines: [{ productId: product, quantity: 1 }], shippingAddress: address } });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'idempotency_key_required' });
    });
  });

  describe('If-Match on product updates', () => {
    it('requires If-Match (428), refuses a stale one (412 with the current ETag), and applies a current one', async () => {
      const product = await createProduct();
      const patch = (headers: Record<string, string>, body: unknown = { name: `Renamed ${randomUUID().slice(0, 4)}` }) =>
        app.request('PATCH', `/api/products/${product}`, { token: admin, body, headers });
      expect((await patch({})).status).toBe(428);
      expect((await patch({ 'if-match': 'v1' })).status).toBe(400);
      const ok = await patch({ 'if-match': '"1"' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('etag')).toBe('"2"');
      const stale = await patch({ 'if-match': '"1"' });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('etag')).toBe('"2"');
      expect(await stale.json()).toMatchObject({ code: 'precondition_failed' });
      expect((await patch({ 'if-match': '*' })).status).toBe(200);
    });
  });

  describe('the order lifecycle', () => {
    /** A new shopper's order for `quantity` of a new product; `act` posts one of its transitions. */
    const placedOrder = async (quantity: number, productOverrides: Record<string, unknown> = {}) => {
      const shopper = await app.newShopper();
      const product = await createProduct(productOverrides);
      const { orderId } = (await (await placeOrder(shopper.token, [{ productId: product, quantity }])).json()) as { orderId: string };
      const act = (action: string, token: string, body: unknown = {}) => app.request('POST', `/api/orders/${orderId}/${action}`, { token, body });
      return { shopper, product, orderId, act };
    };

    it('goes placed → paid → shipped → refunded, and refuses illegal transitions with 409', async () => {
      const { shopper, orderId, act } = await placedOrder(1);
      expect((await act('ship', admin)).status).toBe(409); // no ship before pay
      expect(await (await act('pay', shopper.token, { method: 'card' })).json()).toEqual({ orderId, status: 'paid' });
      expect(await (await act('pay', shopper.token, { method: 'card' })).json()).toMatchObject({ code: 'illegal_transition' });
      expect(await (await act('ship', admin)).json()).toEqual({ orderId, status: 'shipped' });
      expect((await act('cancel', shopper.token)).status).toBe(409); // no cancel after ship
      expect(await (await act('refund', admin)).json()).toEqual({ orderId, status: 'refunded' });
      expect((await act('refund', admin)).status).toBe(409);
    });

    it('releases the reserved stock when an order is cancelled', async () => {
      const { shopper, product, act } = await placedOrder(3, { initialStock: 5 });
      expect(await stockOf(product)).toBe(2);
      const cancelled = await act('cancel', shopper.token, { reason: 'changed my mind' });
      expect(cancelled.status).toBe(200);
      expect(await stockOf(product)).toBe(5);
    });

    it('fulfils the reservation when an order ships: the units stay gone and the product holds no reservation', async () => {
      const { shopper, product, orderId, act } = await placedOrder(2, { initialStock: 5 });
      await act('pay', shopper.token, { method: 'card' });
      expect((await act('ship', admin)).status).toBe(200);
      const events = await app.store.readStream(`product-${product}`);
      expect(events.at(-1)).toMatchObject({ type: 'ReservationFulfilled', data: { orderId, quantity: 2 } });
      expect(await stockOf(product)).toBe(3);
    });

    it('releases the stock of an order refunded before it shipped', async () => {
      const { shopper, product, orderId, act } = await placedOrder(2, { initialStock: 5 });
      await act('pay', shopper.token, { method: 'card' });
      expect(await (await act('refund', admin)).json()).toEqual({ orderId, status: 'refunded' });
      expect(await stockOf(product)).toBe(5);
    });

    it("answers 404 to a shopper acting on another shopper's order", async () => {
      const { act } = await placedOrder(1);
      const other = await app.newShopper();
      for (const action of ['pay', 'cancel']) {
        const response = await act(action, other.token, action === 'pay' ? { method: 'card' } : {});
        expect(`${action} ${response.status}`).toBe(`${action} 404`);
      }
    });
  });

  describe('hostile input', () => {
    const cases: Array<[string, (shopper: string, product: string) => Promise<Response>, number, string]> = [
      ['malformed JSON', (s) => app.request('POST', '/api/orders', { token: s, body: '{"lines": [', headers: { 'idempotency-key': randomUUID() } }), 400, 'malformed_json'],
      ['a string quantity', (s, p) => placeOrder(s, [{ productId: p, quantity: '2' as unknown as number }]), 400, 'validation_failed'],
      ['a negative quantity', (s, p) => placeOrder(s, [{ productId: p, quantity: -1 }]), 400, 'validation_failed'],
      ['a fractional quantity', (s, p) => placeOrder(s, [{ productId: p, quantity: 1.5 }]), 400, 'validation_failed'],
      ['no lines', (s) => placeOrder(s, []), 400, 'validation_failed'],
      ['an unknown product', (s) => placeOrder(s, [{ productId: randomUUID(), quantity: 1 }]), 404, 'product_not_found'],
      ['a product twice', (s, p) => placeOrder(s, [{ productId: p, quantity: 1 }, { productId: p, quantity: 1 }]), 422, 'duplicate_order_line'],
      ['a forged price', (s, p) => app.request('POST', '/api/orders', { token: s, body: { lines: [{ productId: p, quantity: 1, unitPriceCents: 1 }], shippingAddress: address }, headers: { 'idempotency-key': randomUUID() } }), 400, 'validation_failed'],
      ['a forged status', (s, p) => placeOrder(s, [{ productId: p, quantity: 1 }], randomUUID(), { status: 'paid' }), 400, 'validation_failed'],
      ['a forged customerId', (s, p) => placeOrder(s, [{ productId: p, quantity: 1 }], randomUUID(), { customerId: randomUUID() }), 400, 'validation_failed'],
      ['a bad country', (s, p) => app.request('POST', '/api/orders', { token: s, body: { lines: [{ productId: p, quantity: 1 }], shippingAddress: { ...address, country: 'Britain' } }, headers: { 'idempotency-key': randomUUID() } }), 400, 'validation_failed'],
      ['a 1 MB body', (s, p) => placeOrder(s, [{ productId: p, quantity: 1 }], randomUUID(), { padding: 'x'.repeat(1024 * 1024) }), 413, 'payload_too_large'],
      ['no token', (_s, p) => app.request('POST', '/api/orders', { body: { lines: [{ productId: p, quantity: 1 }], shippingAddress: address }, headers: { 'idempotency-key': randomUUID() } }), 401, 'unauthenticated'],
      ['an admin placing an order', (_s, p) => placeOrder(admin, [{ productId: p, quantity: 1 }]), 403, 'forbidden'],
    ];

    it.each(cases)('answers %s with a precise problem and changes nothing', async (_what, send, status, code) => {
      const shopper = await app.newShopper();
      const product = await createProduct();
      const before = await app.eventCount();
      const response = await send(shopper.token, product);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status, code });
      expect(await app.eventCount()).toBe(before);
    });
  });
});
