import {
  decideProduct,
  DomainError,
  ORDER_EVENT_VERSIONS,
  orderStreamId,
  PRODUCT_EVENT_VERSIONS,
  productStreamId,
  stockCommandsFor,
  type OrderCommand,
  type OrderState,
  type ProductState,
} from '@shop/domain';
import { loadAggregate, VersionConflict, type EventMetadata, type EventStore, type StreamAppend } from '@shop/kernel';
import type { Principal } from '@shop/service-kit';
import type { AggregateCache } from '../../commands/aggregate-cache.js';
import { orderAggregate, productAggregate } from '../../commands/aggregates.js';
import type { KeyedMutex } from '../../commands/keyed-mutex.js';
import { toNewEvent } from '../../commands/run-command.js';
import { maxPosition } from '../place-order/place-order.js';

export interface OrderActionOutcome {
  state: OrderState;
  version: bigint;
  lastPosition: bigint | undefined;
}

/**
 * A shopper may act only on their own orders; anyone else's answers exactly like a missing order, so order ids
 * cannot be probed (BOLA). Admins act on every order.
 */
export function assertMayActOn(order: OrderState, orderId: string, principal: Principal): void {
  const owned = order.status !== 'absent' && order.customerId === principal.customerId;
  if (order.status === 'absent' || (principal.role !== 'admin' && !owned)) {
    throw new DomainError('order_not_found', `Order ${orderId} does not exist`);
  }
}

const MAX_ATTEMPTS = 5;

/**
 * Pay, cancel, ship, refund: the order's transition and what it implies for its products (cancelling releases the
 * reservations, shipping fulfils them, refunding before shipping releases them: `stockCommandsFor`) in ONE atomic
 * multi-stream append. The order and its products are locked in this process; a conflict with another process is
 * retried on fresh state.
 */
export async function runOrderCommand(
  store: EventStore,
  locks: KeyedMutex,
  products: AggregateCache<ProductState>,
  command: OrderCommand,
  principal: Principal,
  metadata: EventMetadata,
): Promise<OrderActionOutcome> {
  const orderStream = orderStreamId(command.data.orderId);
  const first = await loadAggregate(store, orderStream, orderAggregate);
  assertMayActOn(first.state, command.data.orderId, principal);
  const productIds = first.state.status === 'absent' ? [] : first.state.lines.map((line) => line.productId);
  return locks.withKeys([orderStream, ...productIds.map(productStreamId)], async () => {
    for (let attempt = 1; ; attempt++) {
      const order = await loadAggregate(store, orderStream, orderAggregate);
      const orderEvents = orderAggregate.decide(command, order.state);
      const newState = orderEvents.reduce(orderAggregate.evolve, order.state);
      const stockCommands = stockCommandsFor(order.state, newState);
      // Fresh product states, and the cached ones dropped: these commands change them under the cache's feet.
      for (const stock of stockCommands) products.delete(productStreamId(stock.data.productId));
      const productStates = await Promise.all(stockCommands.map((c) => loadAggregate(store, productStreamId(c.data.productId), productAggregate)));
      const appends: StreamAppend[] = [
        { streamId: orderStream, expected: order.version, events: orderEvents.map((e) => toNewEvent(e, ORDER_EVENT_VERSIONS[e.type], metadata)) },
        ...stockCommands.map((stock, i) => ({
          streamId: productStreamId(stock.data.productId),
          expected: productStates[i]!.version,
          events: decideProduct(stock, productStates[i]!.state).map((e) => toNewEvent(e, PRODUCT_EVENT_VERSIONS[e.type], metadata)),
        })),
      ].filter((append) => append.events.length > 0);
      try {
        const results = await store.appendToStreams(appends);
        return { state: newState, version: results[0]!.nextVersion, lastPosition: maxPosition(results) };
      } catch (error) {
        for (const stock of stockCommands) products.delete(productStreamId(stock.data.productId));
        if (!(error instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  });
}
