import {
  DomainError,
  orderStreamId,
  PRODUCT_EVENT_VERSIONS,
  productStreamId,
  releaseForCancelledOrder,
  decideProduct,
  type OrderCommand,
  type OrderState,
  type ProductState,
} from '@shop/domain';
import type { AggregateCache } from '../../commands/aggregate-cache.js';
import { loadAggregate, VersionConflict, type EventMetadata, type EventStore, type StreamAppend } from '@shop/kernel';
import type { Principal } from '@shop/service-kit';
import { orderAggregate, productAggregate } from '../../commands/aggregates.js';
import type { KeyedMutex } from '../../commands/keyed-mutex.js';
import { runCommand, toNewEvent } from '../../commands/run-command.js';
import { maxPosition } from '../place-order/place-order.js';
import { ORDER_EVENT_VERSIONS } from '@shop/domain';

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

/** Pay, ship and refund touch the order stream only. */
export async function runOrderCommand(
  store: EventStore,
  locks: KeyedMutex,
  command: Exclude<OrderCommand, { type: 'CancelOrder' }>,
  principal: Principal,
  metadata: EventMetadata,
): Promise<OrderActionOutcome> {
  const streamId = orderStreamId(command.data.orderId);
  return locks.withKeys([streamId], async () => {
    const { state } = await loadAggregate(store, streamId, orderAggregate);
    assertMayActOn(state, command.data.orderId, principal);
    const outcome = await runCommand(store, streamId, orderAggregate, command, metadata);
    return { state: outcome.state, version: outcome.version, lastPosition: outcome.appended?.lastPosition };
  });
}

/** Cancelling releases the order's stock: the order and every product change in one atomic append. */
export async function cancelOrder(
  store: EventStore,
  locks: KeyedMutex,
  products: AggregateCache<ProductState>,
  command: Extract<OrderCommand, { type: 'CancelOrder' }>,
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
      const releases = releaseForCancelledOrder(newState);
      // Fresh product states, and the cached ones dropped: the releases change them under the cache's feet.
      for (const release of releases) products.delete(productStreamId(release.data.productId));
      const productStates = await Promise.all(releases.map((r) => loadAggregate(store, productStreamId(r.data.productId), productAggregate)));
      const appends: StreamAppend[] = [
        { streamId: orderStream, expected: order.version, events: orderEvents.map((e) => toNewEvent(e, ORDER_EVENT_VERSIONS[e.type], metadata)) },
        ...releases.map((release, i) => ({
          streamId: productStreamId(release.data.productId),
          expected: productStates[i]!.version,
          events: decideProduct(release, productStates[i]!.state).map((e) => toNewEvent(e, PRODUCT_EVENT_VERSIONS[e.type], metadata)),
        })),
      ].filter((append) => append.events.length > 0);
      try {
        const results = await store.appendToStreams(appends);
        return { state: newState, version: results[0]!.nextVersion, lastPosition: maxPosition(results) };
      } catch (error) {
        for (const release of releases) products.delete(productStreamId(release.data.productId));
        if (!(error instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  });
}
