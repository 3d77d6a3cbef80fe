import { describe, expect, it } from '@jest/globals';
import { inScope, orderScopeOf } from './order-scope.js';

const mine = '2c4e6a8b-1d3f-4a5b-9c7d-8e9f0a1b2c3d';
const theirs = '9d3c1f2e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';

describe('which orders a caller may see', () => {
  it('gives a shopper the orders of their own customer only', () => {
    const scope = orderScopeOf({ userId: 'u', tokenVersion: 0, role: 'shopper', customerId: mine });
    expect([inScope(scope, mine), inScope(scope, theirs)]).toEqual([true, false]);
  });

  it('gives a shopper without a customer no orders at all', () => {
    expect(orderScopeOf({ userId: 'u', tokenVersion: 0, role: 'shopper' })).toEqual({ kind: 'no-orders' });
  });

  it.each(['admin', 'auditor'] as const)('gives %s every order', (role) => {
    expect(inScope(orderScopeOf({ userId: 'u', tokenVersion: 0, role }), theirs)).toBe(true);
  });

  it('gives an analyst nothing, even past the role check', () => {
    expect(inScope(orderScopeOf({ userId: 'u', tokenVersion: 0, role: 'analyst', customerId: mine }), mine)).toBe(false);
  });
});
