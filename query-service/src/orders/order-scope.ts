import type { Principal } from '@shop/service-kit';
import type { OrderScope } from './orders.queries.js';

/**
 * The orders a caller may see. A shopper sees only the orders of their own customer (a shopper token without a
 * customer sees none); admin and auditor see every order. The routes also require one of those roles (403
 * otherwise): an analyst's scope is empty as a second line of defence, not as the answer it gets.
 */
export function orderScopeOf(principal: Principal): OrderScope {
  switch (principal.role) {
    case 'shopper':
      return principal.customerId ? { kind: 'own-orders', customerId: principal.customerId } : { kind: 'no-orders' };
    case 'admin':
    case 'auditor':
      return { kind: 'every-order' };
    case 'analyst':
      return { kind: 'no-orders' };
    default: {
      const unknown: never = principal.role;
      throw new Error(`Unhandled role ${String(unknown)}`);
    }
  }
}

/** Whether an order of `customerId` is in the scope. Out of scope reads exactly like absent (404), never 403. */
export function inScope(scope: OrderScope, customerId: string): boolean {
  switch (scope.kind) {
    case 'every-order':
      return true;
    case 'own-orders':
      return scope.customerId === customerId;
    case 'no-orders':
      return false;
    default: {
      const unknown: never = scope;
      throw new Error(`Unhandled scope ${JSON.stringify(unknown)}`);
    }
  }
}
