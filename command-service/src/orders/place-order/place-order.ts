import { decidePlaceOrder, ORDER_STREAM_PREFIX, orderStreamId, productStreamId, type PlaceOrder } from '@shop/domain';
import { handleCommand, writeTo, type AggregateCache, type EventMetadata, type EventStore, type IdempotencyClaim } from '@shop/kernel';
import { orderAggregate, productAggregate } from '../../commands/aggregates.js';
import type { KeyedMutex } from '../../commands/keyed-mutex.js';

/** What placing an order answers (201), and what a lost answer is rebuilt from (`orderPlacedIn`). */
export interface OrderPlacement {
  orderId: string;
  totalCents: number;
  /** The order stream's version (the order's ETag) and the global position to read it at. */
  version: bigint;
  lastPosition: bigint;
}

export interface PlaceOrderDeps {
  store: EventStore;
  locks: KeyedMutex;
  cache: AggregateCache;
}

/**
 * Places an order and reserves stock on every product in it in ONE atomic multi-stream append (the command
 * handler), each product at the version its reservation was decided on. Products are locked in this process
 * (sorted), so orders competing for one product queue instead of colliding; product states come from the process's
 * cache, and a stale one is caught by its expected version (conflict → reload, retry) or, for a refusal, decided
 * again on fresh state. With `claim`, the append also claims the request's idempotency key (IdempotencyKeyTaken when
 * it is taken). The order stream is new: it is written without being read.
 */
export async function placeOrder(deps: PlaceOrderDeps, command: PlaceOrder, metadata: EventMetadata, claim?: IdempotencyClaim): Promise<OrderPlacement> {
  const productIds = [...new Set(command.data.lines.map((line) => line.productId))];
  const streams = productIds.map(productStreamId);
  const orderStream = orderStreamId(command.data.orderId);
  return deps.locks.withKeys(streams, async () => {
    let totalCents = 0;
    const outcome = await handleCommand(
      deps.store,
      async (reads) => {
        const states = await Promise.all(streams.map((stream) => reads.load(stream, productAggregate)));
        const decision = decidePlaceOrder(command, Object.fromEntries(productIds.map((id, i) => [id, states[i]!])));
        const placed = decision.orderEvents[0];
        totalCents = placed?.type === 'OrderPlaced' ? placed.data.totalCents : 0;
        return [
          writeTo(orderStream, orderAggregate, decision.orderEvents),
          ...productIds.map((id) => writeTo(productStreamId(id), productAggregate, decision.productEvents[id] ?? [])),
        ];
      },
      { metadata, cache: deps.cache, claim },
    );
    return { orderId: command.data.orderId, totalCents, version: outcome.versionOf(orderStream), lastPosition: outcome.lastPosition ?? 0n };
  });
}

/**
 * The order placed in `streamId`, read back from the store: what `placeOrder` answered when it placed it. Its
 * append wrote the OrderPlaced first and one reservation per line right after it (an append's events take
 * consecutive positions), so its last position is the OrderPlaced's plus the number of lines.
 */
export async function orderPlacedIn(store: EventStore, streamId: string): Promise<OrderPlacement | undefined> {
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
