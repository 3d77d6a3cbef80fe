import {
  decidePlaceOrder,
  evolveProduct,
  isDomainError,
  ORDER_EVENT_VERSIONS,
  ORDER_STREAM_PREFIX,
  orderStreamId,
  PRODUCT_EVENT_VERSIONS,
  productStreamId,
  type PlaceOrder,
  type PlaceOrderDecision,
  type ProductState,
} from '@shop/domain';
import {
  VersionConflict,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type IdempotencyClaim,
  type LoadedAggregate,
  type StreamAppend,
} from '@shop/kernel';
import { loadThroughCache, type AggregateCache } from '../../commands/aggregate-cache.js';
import { orderAggregate, productAggregate } from '../../commands/aggregates.js';
import type { KeyedMutex } from '../../commands/keyed-mutex.js';
import { afterAppend, toNewEvent } from '../../commands/run-command.js';

export interface PlacedOrder {
  orderId: string;
  totalCents: number;
  /** The order stream's version (the order's ETag) and the global position to read it at. */
  version: bigint;
  lastPosition: bigint;
}

const MAX_ATTEMPTS = 5;

/**
 * Places an order and reserves stock on every product in it in ONE atomic multi-stream append, each product at
 * the version its reservation was decided on. Products are locked in this process (sorted), so orders competing
 * for one product queue instead of colliding; product states come from the process's cache and a stale one is
 * caught by its expected version (conflict → drop, reload, retry) or, for a refusal, re-decided on fresh state.
 * With `claim`, the append also claims the request's idempotency key (IdempotencyKeyTaken when it is taken).
 */
export async function placeOrder(
  store: EventStore,
  locks: KeyedMutex,
  products: AggregateCache<ProductState>,
  command: PlaceOrder,
  metadata: EventMetadata,
  claim?: IdempotencyClaim,
): Promise<PlacedOrder> {
  const productIds = [...new Set(command.data.lines.map((line) => line.productId))];
  const streams = productIds.map(productStreamId);
  return locks.withKeys(streams, async () => {
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      const loaded = await Promise.all(streams.map((stream) => loadThroughCache(store, stream, productAggregate, products, fresh)));
      let decision: PlaceOrderDecision;
      try {
        decision = decidePlaceOrder(command, Object.fromEntries(productIds.map((id, i) => [id, loaded[i]!.state])));
      } catch (error) {
        if (fresh || !isDomainError(error)) throw error;
        fresh = true;
        continue;
      }
      const appends = appendsFor(command, decision, productIds, loaded, metadata);
      try {
        const results = await store.appendToStreams(appends, { claim });
        await rememberProducts(store, products, productIds, loaded, decision, appends, results);
        const placed = decision.orderEvents[0];
        return {
          orderId: command.data.orderId,
          totalCents: placed?.type === 'OrderPlaced' ? placed.data.totalCents : 0,
          version: results[0]!.nextVersion,
          lastPosition: maxPosition(results),
        };
      } catch (error) {
        if (!(error instanceof VersionConflict)) throw error;
        for (const stream of streams) products.delete(stream);
        fresh = true;
        // A conflict on the order stream itself is a duplicate order id: the decider says so next round.
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  });
}

function appendsFor(
  command: PlaceOrder,
  decision: PlaceOrderDecision,
  productIds: string[],
  loaded: Array<LoadedAggregate<ProductState>>,
  metadata: EventMetadata,
): StreamAppend[] {
  return [
    {
      streamId: orderStreamId(command.data.orderId),
      expected: 'no_stream' as const,
      events: decision.orderEvents.map((event) => toNewEvent(event, ORDER_EVENT_VERSIONS[event.type], metadata)),
    },
    ...productIds.map((id, i) => ({
      streamId: productStreamId(id),
      expected: loaded[i]!.version,
      events: (decision.productEvents[id] ?? []).map((event) => toNewEvent(event, PRODUCT_EVENT_VERSIONS[event.type], metadata)),
    })),
  ].filter((append) => append.events.length > 0);
}

/** Keeps the products' new states (and snapshots them when due), so the next order for them reads nothing. */
async function rememberProducts(
  store: EventStore,
  products: AggregateCache<ProductState>,
  productIds: string[],
  loaded: Array<LoadedAggregate<ProductState>>,
  decision: PlaceOrderDecision,
  appends: StreamAppend[],
  results: AppendResult[],
): Promise<void> {
  await Promise.all(
    productIds.map(async (id, i) => {
      const stream = productStreamId(id);
      const result = results[appends.findIndex((a) => a.streamId === stream)];
      if (!result) return;
      const state = (decision.productEvents[id] ?? []).reduce(evolveProduct, loaded[i]!.state);
      const snapshotVersion = await afterAppend(store, stream, productAggregate, loaded[i]!, state, result.nextVersion);
      products.set(stream, { state, version: result.nextVersion, eventsRead: 0, snapshotVersion });
    }),
  );
}

/**
 * The order placed in `streamId`, read back from the store: what `placeOrder` answered when it placed it. Its
 * append wrote the OrderPlaced first and one reservation per line right after it (an append's events take
 * consecutive positions), so its last position is the OrderPlaced's plus the number of lines.
 */
export async function placedOrderIn(store: EventStore, streamId: string): Promise<PlacedOrder | undefined> {
  if (!streamId.startsWith(ORDER_STREAM_PREFIX)) return undefined;
  const [first] = await store.readStream(streamId, { maxCount: 1 });
  if (!first) return undefined;
  const placed = orderAggregate.parse(first);
  if (placed.type !== 'OrderPlaced') return undefined;
  return {
    orderId: placed.data.orderId,
    totalCents: placed.data.totalCents,
    version: 1n,
    lastPosition: first.globalPosition + BigInt(placed.data.lines.length),
  };
}

export const maxPosition = (results: readonly AppendResult[]): bigint =>
  results.reduce((max, r) => (r.lastPosition > max ? r.lastPosition : max), 0n);
