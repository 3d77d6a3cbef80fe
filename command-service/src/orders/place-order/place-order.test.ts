import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { isDomainError, PRODUCT_STATE_VERSION, productStreamId, type ProductState } from '@shop/domain';
import {
  AggregateCache,
  IdempotencyKeyTaken,
  InMemoryEventStore,
  loadAggregate,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type IdempotencyClaim,
  type StreamAppend,
} from '@shop/kernel';
import { productAggregate } from '../../commands/aggregates.js';
import { KeyedMutex } from '../../commands/keyed-mutex.js';
import { adjustStock } from '../../products/adjust-stock/adjust-stock.js';
import { createProduct } from '../../products/create-product/create-product.js';
import { placeOrder, type PlaceOrderDeps } from './place-order.js';

const metadata: EventMetadata = { correlationId: 'test', causationId: 'test', actor: { system: 'test' } };
const address = { line1: '1 Analytical Way', city: 'London', postalCode: 'N1 1AA', country: 'GB' };

/**
 * The in-memory adapter, with the idempotency claim of the Postgres one: a claim is written with its append, and a
 * key already claimed makes the whole append write nothing (IdempotencyKeyTaken). Every append is recorded.
 */
class ClaimingInMemoryStore extends InMemoryEventStore {
  readonly appends: Array<{ streams: string[]; claim: IdempotencyClaim | undefined; outcome: 'written' | 'refused' }> = [];
  private readonly claimed = new Set<string>();

  override async appendToStreams(appends: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult[]> {
    const { claim } = options;
    const record = { streams: appends.map((a) => a.streamId), claim };
    if (claim && this.claimed.has(`${claim.userId}/${claim.key}`)) {
      this.appends.push({ ...record, outcome: 'refused' });
      throw new IdempotencyKeyTaken(claim.userId, claim.key);
    }
    try {
      const results = await super.appendToStreams(appends);
      if (claim) this.claimed.add(`${claim.userId}/${claim.key}`);
      this.appends.push({ ...record, outcome: 'written' });
      return results;
    } catch (error) {
      this.appends.push({ ...record, outcome: 'refused' });
      throw error;
    }
  }
}

/** One command-service process: its own locks and cache over the shared store. */
const processOver = (store: ClaimingInMemoryStore): PlaceOrderDeps => ({ store, locks: new KeyedMutex(), cache: new AggregateCache() });

async function newProduct(store: ClaimingInMemoryStore, initialStock: number): Promise<string> {
  const productId = randomUUID();
  const data = { productId, sku: `SKU-${productId.slice(0, 8)}`, name: 'Mug', description: '', priceCents: 1250, currency: 'EUR' as const, initialStock };
  await createProduct(store, { type: 'CreateProduct', data }, metadata);
  return productId;
}

const order = (productId: string, quantity: number) => ({
  type: 'PlaceOrder' as const,
  data: { orderId: randomUUID(), customerId: randomUUID(), lines: [{ productId, quantity }], shippingAddress: address, placedAt: '2026-12-03T10:00:00.000Z' },
});

const available = async (store: ClaimingInMemoryStore, productId: string): Promise<number> => {
  const { state } = await loadAggregate(store, productStreamId(productId), productAggregate);
  return state.status === 'absent' ? -1 : state.available;
};

const cachedVersion = (deps: PlaceOrderDeps, productId: string): bigint | undefined => deps.cache.get(productStreamId(productId))?.version;

describe('placeOrder through the command handler', () => {
  it('retries on fresh state when its cached product is stale (another process reserved meanwhile)', async () => {
    const store = new ClaimingInMemoryStore();
    const productId = await newProduct(store, 10);
    const a = processOver(store);
    const b = processOver(store);
    await placeOrder(a, order(productId, 1), metadata);
    await placeOrder(b, order(productId, 2), metadata);
    const before = store.appends.length;

    const placed = await placeOrder(a, order(productId, 3), metadata);

    expect(store.appends.slice(before).map((append) => append.outcome)).toEqual(['refused', 'written']);
    expect(placed.totalCents).toBe(3 * 1250);
    expect(await available(store, productId)).toBe(10 - 1 - 2 - 3);
    expect(cachedVersion(a, productId)).toBe(4n);
  });

  it('decides a refusal on cached state again on fresh state: stock received elsewhere is sold', async () => {
    const store = new ClaimingInMemoryStore();
    const productId = await newProduct(store, 2);
    const a = processOver(store);
    await placeOrder(a, order(productId, 2), metadata);
    const cached = a.cache.get(productStreamId(productId))?.state as ProductState | undefined;
    expect(cached?.status === 'active' && cached.available).toBe(0);
    await adjustStock(processOver(store), { productId, delta: 5, reason: 'delivery' }, metadata);

    await placeOrder(a, order(productId, 3), metadata);

    expect(await available(store, productId)).toBe(2);
  });

  it('answers a refusal that fresh state confirms, and appends nothing', async () => {
    const store = new ClaimingInMemoryStore();
    const productId = await newProduct(store, 2);
    const a = processOver(store);
    const before = store.appends.length;

    const refusal = await placeOrder(a, order(productId, 3), metadata).catch((error: unknown) => error);

    expect(isDomainError(refusal) && refusal.code).toBe('out_of_stock');
    expect(store.appends.length).toBe(before);
    expect(await available(store, productId)).toBe(2);
  });

  it('passes the idempotency claim to its append, so a second order under the same key writes nothing', async () => {
    const store = new ClaimingInMemoryStore();
    const productId = await newProduct(store, 5);
    const a = processOver(store);
    const claim: IdempotencyClaim = { userId: randomUUID(), key: 'key-00000001', requestHash: 'hash' };

    const placed = await placeOrder(a, order(productId, 1), metadata, claim);
    const retry = await placeOrder(a, order(productId, 1), metadata, claim).catch((error: unknown) => error);

    expect(store.appends.at(-2)).toEqual({ streams: [`order-${placed.orderId}`, productStreamId(productId)], claim, outcome: 'written' });
    expect(retry).toBeInstanceOf(IdempotencyKeyTaken);
    expect(await available(store, productId)).toBe(4);
  });

  it('snapshots a product every 100 events, so loading it reads no event at all right after', async () => {
    const store = new ClaimingInMemoryStore();
    const productId = await newProduct(store, 1_000);
    const a = processOver(store);
    for (let i = 0; i < 98; i++) await placeOrder(a, order(productId, 1), metadata);
    expect(await store.readSnapshot(productStreamId(productId))).toBeUndefined();

    await placeOrder(a, order(productId, 1), metadata);

    expect(await store.readSnapshot(productStreamId(productId))).toMatchObject({ version: 100n, schemaVersion: PRODUCT_STATE_VERSION });
    const reloaded = await loadAggregate(store, productStreamId(productId), productAggregate);
    expect({ version: reloaded.version, eventsRead: reloaded.eventsRead }).toEqual({ version: 100n, eventsRead: 0 });
    expect(reloaded.state.status === 'active' && reloaded.state.available).toBe(1_000 - 99);
  });
});
