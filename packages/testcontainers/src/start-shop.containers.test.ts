// The whole shop from its images through @shop/testcontainers. Needs a Docker engine and the images of
// `npm run containers -- build`; like the compose test it runs only with SHOP_TEST_CONTAINERS=1 (jest.config.js).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createShopper, readEvents, seedProducts, subscribeToEvents, waitForConsistency } from './helpers.js';
import { ShopImagesMissing, startShop, type StartedShop } from './start-shop.js';

describe('startShop', () => {
  let shop: StartedShop;

  beforeAll(async () => {
    shop = await startShop();
  }, 180_000);

  afterAll(async () => {
    await shop?.stop();
  }, 60_000);

  it('places an order that arrives on NATS, in the event log and in the read API', async () => {
    const { products } = await seedProducts(shop, [{ priceCents: 1299, initialStock: 5 }]);
    const events = await subscribeToEvents(shop, { subject: 'shop.events.v1.order.>' });
    try {
      const shopper = await createShopper(shop);
      const order = await shopper.client.placeOrder([{ productId: products[0]!.id, quantity: 2 }], {
        line1: '1 Main St', city: 'Oslo', postalCode: '0150', country: 'NO',
      });
      expect(order.body.totalCents).toBe(2598);
      const placed = await events.next((event) => event.type === 'OrderPlaced' && event.streamId === `order-${order.body.orderId}`);
      expect(placed.globalPosition).toMatch(/^\d+$/);
      await waitForConsistency(shop, order.position!);
      const read = await shopper.client.getOrder(order.body.orderId);
      expect(read.body).toMatchObject({ id: order.body.orderId, totalCents: 2598 });
      const log = await readEvents(shop, BigInt(placed.globalPosition) - 1n);
      expect(log[0]).toMatchObject({ eventId: placed.eventId, type: 'OrderPlaced', globalPosition: placed.globalPosition });
    } finally {
      await events.close();
    }
  }, 60_000);

  it('answers a missing image with the command that builds it', async () => {
    await expect(startShop({ tag: 'no-such-tag' })).rejects.toThrow(ShopImagesMissing);
    await expect(startShop({ tag: 'no-such-tag' })).rejects.toThrow(/npm run containers -- build/);
  });
});
