import {
  decidePlaceOrder,
  ORDER_EVENT_VERSIONS,
  orderStreamId,
  PRODUCT_EVENT_VERSIONS,
  productStreamId,
  type PlaceOrder,
  type ProductState,
} from '@shop/domain';
import { loadAggregate, VersionConflict, type AppendResult, type EventMetadata, type EventStore, type StreamAppend } from '@shop/kernel';
import { productAggregate } from '../../commands/aggregates.js';
import type { KeyedMutex } from '../../commands/keyed-mutex.js';
import { toNewEvent } from '../../commands/run-command.js';

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
 * for one product queue instead of colliding; a conflict with another process is retried on fresh state.
 */
export async function placeOrder(store: EventStore, locks: KeyedMutex, command: PlaceOrder, metadata: EventMetadata): Promise<PlacedOrder> {
  const productIds = [...new Set(command.data.lines.map((line) => line.productId))];
  return locks.withKeys(productIds.map(productStreamId), async () => {
    for (let attempt = 1; ; attempt++) {
      const loaded = await Promise.all(productIds.map((id) => loadAggregate(store, productStreamId(id), productAggregate)));
      const products: Record<string, ProductState> = Object.fromEntries(productIds.map((id, i) => [id, loaded[i]!.state]));
      const decision = decidePlaceOrder(command, products);
      const appends: StreamAppend[] = [
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
      try {
        const results = await store.appendToStreams(appends);
        return {
          orderId: command.data.orderId,
          totalCents: decision.orderEvents[0]?.type === 'OrderPlaced' ? decision.orderEvents[0].data.totalCents : 0,
          version: results[0]!.nextVersion,
          lastPosition: maxPosition(results),
        };
      } catch (error) {
        // A conflict on the order stream itself is a duplicate order id: let the decider say so next round.
        if (!(error instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  });
}

export const maxPosition = (results: readonly AppendResult[]): bigint =>
  results.reduce((max, r) => (r.lastPosition > max ? r.lastPosition : max), 0n);
