import { assertNever, decideOrder, isDomainError, type ExistingOrderState, type OrderCommand } from '@shop/domain';
import type { Order, Role } from '@shop/client';

export const ORDER_ACTIONS = ['pay', 'cancel', 'ship', 'refund'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** Who may ask for what (docs/openapi.json `x-roles`): the owner pays; owner or admin cancels; admin ships, refunds. */
const ROLE_ACTIONS: Record<Role, readonly OrderAction[]> = {
  shopper: ['pay', 'cancel'],
  admin: ['cancel', 'ship', 'refund'],
  auditor: [],
  analyst: [],
};

/** The domain's view of an order, from the read model's: `paid` is "money was taken", which refunds depend on. */
function stateOf(order: Order): ExistingOrderState {
  return {
    status: order.status,
    orderId: order.id,
    customerId: order.customerId,
    lines: order.lines,
    currency: order.currency,
    totalCents: order.totalCents,
    shippingAddress: { line1: order.shippingAddress.line1, city: order.shippingAddress.city, postalCode: order.shippingAddress.postalCode, country: order.shippingAddress.country },
    placedAt: order.placedAt,
    paid: Boolean(order.paidAt),
  };
}

function commandFor(action: OrderAction, orderId: string): OrderCommand {
  // Only the decision matters here; the timestamps and method are placeholders the decider does not judge by.
  const at = new Date(0).toISOString();
  switch (action) {
    case 'pay':
      return { type: 'PayOrder', data: { orderId, method: 'card', paidAt: at } };
    case 'cancel':
      return { type: 'CancelOrder', data: { orderId, cancelledAt: at } };
    case 'ship':
      return { type: 'ShipOrder', data: { orderId, shippedAt: at } };
    case 'refund':
      return { type: 'RefundOrder', data: { orderId, refundedAt: at } };
    default:
      return assertNever(action);
  }
}

/** Whether the domain lets anyone take `action` on the order now (the server still decides). */
function allowed(action: OrderAction, order: Order, state: ExistingOrderState): boolean {
  try {
    decideOrder(commandFor(action, order.id), state);
    return true;
  } catch (error) {
    // Only "not in this status" means no; anything else is a bug worth seeing.
    if (isDomainError(error) && error.code === 'illegal_transition') return false;
    throw error;
  }
}

/**
 * The buttons to offer: the actions this role may ask for that the order's status allows, decided by the
 * domain's own `decideOrder` so the web app can never disagree with the command service about a transition.
 * The server still decides (a concurrent change answers 409 `illegal_transition`).
 */
export function availableActions(order: Order, role: Role): OrderAction[] {
  const state = stateOf(order);
  return ROLE_ACTIONS[role].filter((action) => allowed(action, order, state));
}

/**
 * Whether anyone may still move the order on (pay, cancel, ship or refund it): while so, its page follows the read
 * model; a refunded order, or one cancelled before payment, is final and is not asked for again.
 */
export function mayStillChange(order: Order): boolean {
  const state = stateOf(order);
  return ORDER_ACTIONS.some((action) => allowed(action, order, state));
}
