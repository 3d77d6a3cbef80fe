import { randomUUID } from 'node:crypto';
import { applySchema, createPool, PostgresEventStore, type EventMetadata, type StreamAppend } from '@shop/kernel';

/**
 * The ceiling the event store puts on placing orders: the Postgres store alone, in this process, appending what
 * place-order appends (an OrderPlaced and a StockReserved on each of 3 products, each product at its expected
 * version, the idempotency key claimed in the same append) from `placers` concurrent loops, with no HTTP, no
 * express, no answer written. No command service can place orders faster than this on the same machine, so
 * orders/s measured through HTTP is read against it.
 */

const PRODUCTS = 1_000;
const LINES = 3;
const address = { name: 'Bench', line1: '1 Bench Road', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' };

interface Product {
  id: string;
  version: bigint;
  /** An order for it is being appended: the command service's per-product lock queues the next one. */
  busy: boolean;
}

const metadataFor = (userId: string): EventMetadata => {
  const correlationId = randomUUID();
  return { correlationId, causationId: correlationId, actor: { userId, role: 'shopper' } };
};

/** Three distinct products no order in flight holds, as the command service's per-product locks would give. */
function pickFree(products: Product[]): Product[] {
  const picked: Product[] = [];
  while (picked.length < LINES) {
    const product = products[Math.floor(Math.random() * products.length)]!;
    if (!product.busy && !picked.includes(product)) picked.push(product);
  }
  return picked;
}

function orderAppends(picked: Product[], userId: string, customerId: string): StreamAppend[] {
  const orderId = randomUUID();
  const metadata = metadataFor(userId);
  const lines = picked.map((p, n) => ({ sku: `BENCH-${n}`, name: 'Bench product', quantity: 1, productId: p.id, lineTotalCents: 100, unitPriceCents: 100 }));
  return [
    {
      streamId: `order-${orderId}`,
      expected: 'no_stream',
      events: [
        {
          eventId: randomUUID(),
          type: 'OrderPlaced',
          schemaVersion: 1,
          data: { lines, orderId, currency: 'EUR', placedAt: new Date().toISOString(), customerId, totalCents: 100 * LINES, shippingAddress: address },
          metadata,
        },
      ],
    },
    ...picked.map((p) => ({
      streamId: `product-${p.id}`,
      expected: p.version,
      events: [{ eventId: randomUUID(), type: 'StockReserved', schemaVersion: 1, data: { orderId, quantity: 1, productId: p.id }, metadata }],
    })),
  ];
}

/** Orders per second the store alone sustains on `databaseUrl` (an empty database) over `seconds`. */
export async function storeCeiling(databaseUrl: string, options: { placers: number; warmupSeconds: number; seconds: number }): Promise<number> {
  // As command-service/src/main.ts sizes its pool.
  const pool = createPool(databaseUrl, { max: 20, applicationName: 'shop-bench-store-ceiling' });
  try {
    await applySchema(pool);
    const store = new PostgresEventStore(pool);
    const userId = randomUUID();
    const customerId = randomUUID();
    const products: Product[] = Array.from({ length: PRODUCTS }, () => ({ id: randomUUID(), version: 0n, busy: false }));
    await Promise.all(
      products.map(async (p) => {
        const created = { eventId: randomUUID(), type: 'ProductCreated', schemaVersion: 1, data: { productId: p.id, priceCents: 100 }, metadata: metadataFor(userId) };
        p.version = (await store.appendToStream(`product-${p.id}`, 'no_stream', [created])).nextVersion;
      }),
    );
    let placed = 0;
    let stopAt = 0;
    const placer = async (): Promise<void> => {
      while (Date.now() < stopAt) {
        const picked = pickFree(products);
        for (const p of picked) p.busy = true;
        try {
          const claim = { userId, key: randomUUID(), requestHash: 'f'.repeat(64) };
          const results = await store.appendToStreams(orderAppends(picked, userId, customerId), { claim });
          picked.forEach((p, i) => (p.version = results[i + 1]!.nextVersion));
          placed++;
        } finally {
          for (const p of picked) p.busy = false;
        }
      }
    };
    const runFor = async (seconds: number): Promise<number> => {
      placed = 0;
      const started = Date.now();
      stopAt = started + seconds * 1000;
      await Promise.all(Array.from({ length: options.placers }, placer));
      return placed / ((Date.now() - started) / 1000);
    };
    await runFor(options.warmupSeconds);
    return await runFor(options.seconds);
  } finally {
    await pool.end();
  }
}
