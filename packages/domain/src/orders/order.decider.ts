import { assertNever } from '../shared/exhaustive.js';
import { DomainError } from '../shared/domain-error.js';
import { existingState } from '../shared/existing-state.js';
import type { Currency } from '../shared/money.js';
import { ORDER_EVENT_VERSIONS, OrderEvent, type OrderLine, type PaymentMethod, type ShippingAddress } from './order.events.js';
import type { AggregateDecider } from '../shared/aggregate-decider.js';

export type OrderStatus = 'placed' | 'paid' | 'shipped' | 'cancelled' | 'refunded';

/**
 * Plain JSON, because it is snapshotted. `paid` outlives the `paid` status: a shipped or cancelled order
 * remembers that money was taken, which is what makes it refundable.
 */
export type ExistingOrderState = {
  status: OrderStatus;
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  currency: Currency;
  totalCents: number;
  shippingAddress: ShippingAddress;
  placedAt: string;
  paid: boolean;
};
export type OrderState = { status: 'absent' } | ExistingOrderState;

export const initialOrderState: OrderState = { status: 'absent' };

/** Version of `OrderState`'s shape, for snapshots: bump it whenever the shape changes. */
export const ORDER_STATE_VERSION = 1;

export type PayOrder = { type: 'PayOrder'; data: { orderId: string; method: PaymentMethod; paidAt: string } };
export type ShipOrder = { type: 'ShipOrder'; data: { orderId: string; shippedAt: string } };
export type CancelOrder = { type: 'CancelOrder'; data: { orderId: string; reason?: string; cancelledAt: string } };
export type RefundOrder = { type: 'RefundOrder'; data: { orderId: string; refundedAt: string } };

/** Commands on an existing order. Placing one needs the catalog: see `decidePlaceOrder`. */
export type OrderCommand = PayOrder | ShipOrder | CancelOrder | RefundOrder;

export function requireOrder(state: OrderState, orderId: string): ExistingOrderState {
  if (state.status === 'absent') throw new DomainError('order_not_found', `Order ${orderId} does not exist`);
  return state;
}

const illegal = (order: ExistingOrderState, action: string): DomainError =>
  new DomainError('illegal_transition', `Order ${order.orderId} is ${order.status}${order.paid ? ' (paid)' : ''}: it cannot be ${action}`);

/** Pure: the events a command produces from the current state, or the domain error that forbids it. */
export function decideOrder(command: OrderCommand, state: OrderState): OrderEvent[] {
  const order = requireOrder(state, command.data.orderId);
  switch (command.type) {
    case 'PayOrder': {
      if (order.status !== 'placed') throw illegal(order, 'paid');
      const { orderId, method, paidAt } = command.data;
      // The amount is the order's own total: what is charged never comes from the caller.
      return [{ type: 'OrderPaid', data: { orderId, method, amountCents: order.totalCents, paidAt } }];
    }
    case 'ShipOrder': {
      if (order.status !== 'paid') throw illegal(order, 'shipped');
      const { orderId, shippedAt } = command.data;
      return [{ type: 'OrderShipped', data: { orderId, shippedAt } }];
    }
    case 'CancelOrder': {
      if (order.status !== 'placed' && order.status !== 'paid') throw illegal(order, 'cancelled');
      const { orderId, reason, cancelledAt } = command.data;
      return [{ type: 'OrderCancelled', data: reason === undefined ? { orderId, cancelledAt } : { orderId, reason, cancelledAt } }];
    }
    case 'RefundOrder': {
      // Refunded is terminal, so "paid and not refunded yet" is: money was taken and the status is not refunded.
      if (!order.paid || order.status === 'refunded' || order.status === 'placed') throw illegal(order, 'refunded');
      const { orderId, refundedAt } = command.data;
      return [{ type: 'OrderRefunded', data: { orderId, amountCents: order.totalCents, refundedAt } }];
    }
    default:
      return assertNever(command);
  }
}

const existing = existingState<OrderState, OrderEvent>((event) => `${event.type} cannot apply to order ${event.data.orderId}: it was never placed`);

export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  switch (event.type) {
    case 'OrderPlaced': {
      if (state.status !== 'absent') throw new Error(`OrderPlaced cannot apply to order ${event.data.orderId}: it already exists`);
      const { orderId, customerId, lines, currency, totalCents, shippingAddress, placedAt } = event.data;
      return { status: 'placed', orderId, customerId, lines, currency, totalCents, shippingAddress, placedAt, paid: false };
    }
    case 'OrderPaid':
      return { ...existing(state, event), status: 'paid', paid: true };
    case 'OrderShipped':
      return { ...existing(state, event), status: 'shipped' };
    case 'OrderCancelled':
      return { ...existing(state, event), status: 'cancelled' };
    case 'OrderRefunded':
      return { ...existing(state, event), status: 'refunded' };
    default:
      return assertNever(event);
  }
}

/** The order aggregate's decider as one value (see AggregateDecider); placing an order is `decidePlaceOrder`. */
export const orderDecider: AggregateDecider<OrderCommand, OrderEvent, OrderState> = {
  initialState: initialOrderState, evolve: evolveOrder, decide: decideOrder, events: OrderEvent, eventVersions: ORDER_EVENT_VERSIONS,
};
