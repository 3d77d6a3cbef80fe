import { describe, expect, it } from '@jest/globals';
import { loggedOut } from '../session';
import { added, cart, cartProblem, CartState, checkoutSettled, checkoutStarted, EMPTY_CART, emptied, estimatedTotals, itemCount, MAX_CART_LINES, orderLinesOf, quantityChanged, removed } from './cart';
import { aProduct } from './product.fixture';

const mug = aProduct();
const tea = aProduct({ id: '0b6f1f55-7d7f-4a5e-9a4a-2f7f2c1d9e10', sku: 'TEA-1', name: 'Tea', priceCents: 450 });
const reduce = (...actions: Parameters<typeof cart.reducer>[1][]) => actions.reduce(cart.reducer, EMPTY_CART);

describe('the cart', () => {
  it('adds a product as a line with the price the shopper saw', () => {
    expect(reduce(added({ product: mug, quantity: 2 })).lines).toEqual([
      { productId: mug.id, sku: 'MUG-1', name: 'Mug', unitPriceCents: 1299, currency: 'EUR', quantity: 2 },
    ]);
  });

  it('adds to the existing line when a product is added again (an order names each product once)', () => {
    const state = reduce(added({ product: mug, quantity: 2 }), added({ product: tea, quantity: 1 }), added({ product: mug, quantity: 3 }));
    expect(orderLinesOf(state.lines)).toEqual([
      { productId: mug.id, quantity: 5 },
      { productId: tea.id, quantity: 1 },
    ]);
    expect(itemCount(state.lines)).toBe(6);
  });

  it('keeps quantities between 1 and 1,000, whole', () => {
    expect(reduce(added({ product: mug, quantity: 999 }), added({ product: mug, quantity: 5 })).lines[0]?.quantity).toBe(1000);
    expect(reduce(added({ product: mug, quantity: 2 }), quantityChanged({ productId: mug.id, quantity: 0 })).lines[0]?.quantity).toBe(1);
    expect(reduce(added({ product: mug, quantity: 2 }), quantityChanged({ productId: mug.id, quantity: 2.7 })).lines[0]?.quantity).toBe(2);
    expect(reduce(added({ product: mug, quantity: 2 }), quantityChanged({ productId: mug.id, quantity: Number.NaN })).lines[0]?.quantity).toBe(1);
  });

  it('removes a line', () => {
    expect(reduce(added({ product: mug, quantity: 1 }), added({ product: tea, quantity: 1 }), removed(mug.id)).lines.map((l) => l.sku)).toEqual(['TEA-1']);
  });

  it('takes no more products than one order may have lines', () => {
    const many = Array.from({ length: MAX_CART_LINES + 1 }, (_, i) => added({ product: aProduct({ id: `id-${i}` }), quantity: 1 }));
    expect(reduce(...many).lines).toHaveLength(MAX_CART_LINES);
  });

  it('remembers the pending checkout attempt until it is settled', () => {
    const attempt = { idempotencyKey: 'key-00000001', body: '{}' };
    expect(reduce(checkoutStarted(attempt)).checkout).toEqual(attempt);
    expect(reduce(checkoutStarted(attempt), checkoutSettled()).checkout).toBeNull();
  });

  it('is emptied on request and when the user logs out', () => {
    expect(reduce(added({ product: mug, quantity: 1 }), emptied())).toEqual(EMPTY_CART);
    expect(reduce(added({ product: mug, quantity: 1 }), checkoutStarted({ idempotencyKey: 'key-00000001', body: '{}' }), loggedOut())).toEqual(EMPTY_CART);
  });

  it('survives a reload: its stored form parses back, and a tampered one does not', () => {
    const state = reduce(added({ product: mug, quantity: 2 }));
    expect(CartState.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(CartState.safeParse({ lines: [{ ...state.lines[0], quantity: -3 }], checkout: null }).success).toBe(false);
  });
});

describe('estimatedTotals and cartProblem', () => {
  it('totals the lines per currency', () => {
    const state = reduce(added({ product: mug, quantity: 2 }), added({ product: tea, quantity: 3 }));
    expect(estimatedTotals(state.lines)).toEqual([{ currency: 'EUR', cents: 2 * 1299 + 3 * 450 }]);
    expect(cartProblem(state.lines)).toBeNull();
  });

  it('says why a cart mixing currencies cannot be one order (the API answers 422 currency_mismatch)', () => {
    const state = reduce(added({ product: mug, quantity: 1 }), added({ product: aProduct({ id: 'usd', currency: 'USD' }), quantity: 1 }));
    expect(estimatedTotals(state.lines)).toHaveLength(2);
    expect(cartProblem(state.lines)).toMatch(/one currency/);
  });

  it('says an empty cart cannot be checked out', () => {
    expect(cartProblem([])).toMatch(/empty/);
  });
});
