import { DomainError, orderStreamId, productStreamId, stockCommandsFor, type OrderCommand, type OrderState } from '@shop/domain';
import { handleCommand, loadThroughCache, writeTo, type AggregateCache, type EventMetadata, type EventStore } from '@shop/kernel';
import type { Principal } from '@shop/service-kit';
import { orderAggregate, productAggregate } from '../../commands/aggregates.js';
import type { KeyedMutex } from '../../commands/keyed-mutex.js';

export interface OrderActionDeps {
  store: EventStore;
  locks: KeyedMutex;
  cache: AggregateCache;
}

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

/**
 * Pay, cancel, ship, refund: the order's transition and what it implies for its products (cancelling releases the
 * reservations, shipping fulfils them, refunding before shipping releases them: `stockCommandsFor`) in ONE atomic
 * multi-stream append, through the command handler. The order's lines name the products it may touch, so the order
 * is read first (through the cache, where the handler finds it again) and locked in this process with them.
 */
export async function runOrderAction(deps: OrderActionDeps, command: OrderCommand, principal: Principal, metadata: EventMetadata): Promise<OrderActionOutcome> {
  const { orderId } = command.data;
  const orderStream = orderStreamId(orderId);
  const known = await loadThroughCache(deps.store, orderStream, orderAggregate, deps.cache, false);
  const productIds = known.state.status === 'absent' ? [] : known.state.lines.map((line) => line.productId);
  return deps.locks.withKeys([orderStream, ...productIds.map(productStreamId)], async () => {
    const outcome = await handleCommand(
      deps.store,
      async (reads) => {
        const before = await reads.load(orderStream, orderAggregate);
        // Decided with the rest: a refusal on a cached order (absent, someone else's) is checked on fresh state.
        assertMayActOn(before, orderId, principal);
        const orderEvents = orderAggregate.decide(command, before);
        const stockCommands = stockCommandsFor(before, orderEvents.reduce(orderAggregate.evolve, before));
        const productWrites = await Promise.all(
          stockCommands.map(async (stock) => {
            const stream = productStreamId(stock.data.productId);
            return writeTo(stream, productAggregate, productAggregate.decide(stock, await reads.load(stream, productAggregate)));
          }),
        );
        return [writeTo(orderStream, orderAggregate, orderEvents), ...productWrites];
      },
      { metadata, cache: deps.cache },
    );
    return { state: outcome.stateOf(orderStream, orderAggregate), version: outcome.versionOf(orderStream), lastPosition: outcome.lastPosition };
  });
}
