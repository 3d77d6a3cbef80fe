import { assertNever, ORDER_STREAM_PREFIX, OrderEvent } from '@shop/domain';
import type { ProjectedEvent } from '@shop/kernel';
import type { PlacedOrderLines, SalesFact, SalesFactKind } from '@shop/read-models';

/**
 * What one order event means for sales: pure, shared by the SQL and the Elasticsearch projections so that both
 * count exactly alike. Shipping and cancelling move no money (a cancelled paid order stays paid until refunded).
 */
export type SalesEvent =
  | { kind: 'placed'; order: PlacedOrderLines; position: bigint }
  | { kind: SalesFactKind; orderId: string; eventId: string; at: Date; position: bigint };
export type MoneyMovement = Extract<SalesEvent, { kind: SalesFactKind }>;

export function salesEventFor(event: ProjectedEvent): SalesEvent | undefined {
  if (!event.streamId.startsWith(ORDER_STREAM_PREFIX)) return undefined;
  // Parse, don't trust: an event read back must still match its schema.
  const order = OrderEvent.parse({ type: event.type, data: event.data });
  const movement = (kind: SalesFactKind, at: string): MoneyMovement => ({
    kind,
    orderId: order.data.orderId,
    eventId: event.eventId,
    at: new Date(at),
    position: event.globalPosition,
  });
  switch (order.type) {
    case 'OrderPlaced': {
      const { orderId, currency, lines } = order.data;
      return {
        kind: 'placed',
        position: event.globalPosition,
        order: {
          orderId,
          currency,
          lines: lines.map(({ productId, sku, name, quantity, lineTotalCents }) => ({ productId, sku, name, quantity, lineTotalCents })),
        },
      };
    }
    case 'OrderPaid':
      return movement('payment', order.data.paidAt);
    case 'OrderRefunded':
      return movement('refund', order.data.refundedAt);
    case 'OrderShipped':
    case 'OrderCancelled':
      return undefined;
    default:
      return assertNever(order);
  }
}

/** One fact per line of the order; a refund is the payment with every sign turned (see sales.read-model.ts). */
export function factsFor(movement: MoneyMovement, order: PlacedOrderLines): SalesFact[] {
  const sign = movement.kind === 'payment' ? 1 : -1;
  return order.lines.map((line, lineNo) => ({
    eventId: movement.eventId,
    lineNo,
    orderId: movement.orderId,
    kind: movement.kind,
    at: movement.at,
    position: movement.position,
    currency: order.currency,
    productId: line.productId,
    sku: line.sku,
    name: line.name,
    sign,
    // Counted once per order: on its first line only.
    orderDelta: lineNo === 0 ? sign : 0,
    units: sign * line.quantity,
    revenueCents: sign * line.lineTotalCents,
  }));
}

/** A batch of order events sorted into what to remember and what to count. */
export interface SalesBatch {
  /** Orders placed in the batch, with the position of the event that placed each. */
  placed: Array<{ order: PlacedOrderLines; position: bigint }>;
  movements: MoneyMovement[];
}

export function sortSalesEvents(events: readonly ProjectedEvent[]): SalesBatch {
  const batch: SalesBatch = { placed: [], movements: [] };
  for (const event of events) {
    const sales = salesEventFor(event);
    if (!sales) continue;
    if (sales.kind === 'placed') batch.placed.push({ order: sales.order, position: sales.position });
    else batch.movements.push(sales);
  }
  return batch;
}

/** The order ids whose lines a batch needs but did not place itself: they must come from what was stored. */
export function ordersToLoad(batch: SalesBatch): string[] {
  const placedHere = new Set(batch.placed.map(({ order }) => order.orderId));
  return [...new Set(batch.movements.map((m) => m.orderId).filter((id) => !placedHere.has(id)))];
}

export class UnknownOrder extends Error {
  override readonly name = 'UnknownOrder';
  constructor(readonly orderId: string) {
    super(`Order ${orderId} was paid or refunded but never placed: its lines are unknown`);
  }
}

/**
 * The facts of a batch's payments and refunds. `stored` holds the lines of orders placed before the batch; an
 * order known nowhere is a corrupt history (or a projection bug) and throws, so the runner retries and finally
 * dead-letters the event rather than counting it wrongly.
 */
export function factsOfBatch(batch: SalesBatch, stored: ReadonlyMap<string, PlacedOrderLines>): SalesFact[] {
  const known = new Map(stored);
  for (const { order } of batch.placed) if (!known.has(order.orderId)) known.set(order.orderId, order);
  return batch.movements.flatMap((movement) => {
    const order = known.get(movement.orderId);
    if (!order) throw new UnknownOrder(movement.orderId);
    return factsFor(movement, order);
  });
}
