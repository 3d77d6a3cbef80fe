// What a downstream team's suite looks like: a fresh Shop per file, an order placed as a shopper, its event seen on
// NATS (as an integration consumer would) and the order seen in the read API.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createShopper, readEvents, seedProducts, startShop, subscribeToEvents, waitForConsistency } from '@shop/testcontainers';

const started = Date.now();
let shop;

beforeAll(async () => {
  shop = await startShop({ tag: process.env.SHOP_IMAGE_TAG ?? 'local' });
  console.log(`startShop: ${((Date.now() - started) / 1000).toFixed(1)} s (reused: ${shop.reused}) at ${shop.url}`);
}, 180_000);

afterAll(async () => {
  await shop?.stop();
}, 60_000);

it('places an order, sees OrderPlaced on NATS and the order in the read API', async () => {
  const { products } = await seedProducts(shop, [{ name: 'Mug', priceCents: 1299, initialStock: 5 }]);
  const orders = await subscribeToEvents(shop, { subject: 'shop.events.v1.order.>' });
  try {
    const shopper = await createShopper(shop);
    const placed = await shopper.client.placeOrder([{ productId: products[0].id, quantity: 2 }], {
      line1: '1 Main St', city: 'Oslo', postalCode: '0150', country: 'NO',
    });
    expect(placed.body).toMatchObject({ orderId: expect.any(String), totalCents: 2598 });

    const event = await orders.next((e) => e.type === 'OrderPlaced' && e.streamId === `order-${placed.body.orderId}`);
    expect(event.data).toMatchObject({ lines: [expect.objectContaining({ productId: products[0].id, quantity: 2 })] });

    await waitForConsistency(shop, placed.position);
    const read = await shopper.client.getOrder(placed.body.orderId);
    expect(read.body).toMatchObject({ id: placed.body.orderId, totalCents: 2598 });

    const log = await readEvents(shop, BigInt(event.globalPosition) - 1n, 1);
    expect(log).toEqual([expect.objectContaining({ eventId: event.eventId, type: 'OrderPlaced' })]);
  } finally {
    await orders.close();
  }
});

it('gives the admin client the catalog it seeded', async () => {
  const answer = await shop.client.listProducts({ limit: 5 });
  expect(answer.body.items.length).toBeGreaterThan(0);
});
