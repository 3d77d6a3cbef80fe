import { describe, expect, it } from '@jest/globals';
import { configureStore } from '@reduxjs/toolkit';
import { added, cart, checkoutStarted, EMPTY_CART, emptied } from './cart';
import { CART_STORAGE_KEY, decodeCart, encodeCart, keepCartStored, loadCart } from './cart-storage';
import { aProduct } from './product.fixture';

const mug = aProduct();
const filled = [added({ product: mug, quantity: 2 }), checkoutStarted({ idempotencyKey: 'key-00000001', body: '{}' })].reduce(cart.reducer, EMPTY_CART);

/** The Web Storage interface over a Map: what localStorage is to this code, in a test without a browser. */
function memoryStorage(entries: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(entries));
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

describe('the stored cart', () => {
  it('decodes to the cart it encoded, lines and pending checkout attempt alike', () => {
    expect(decodeCart(encodeCart(filled))).toEqual(filled);
  });

  it('carries its format, so a later app can tell an older cart from its own', () => {
    expect(JSON.parse(encodeCart(EMPTY_CART))).toEqual({ format: 1, cart: EMPTY_CART });
  });

  it('drops a cart of another format rather than misreading it', () => {
    expect(decodeCart(JSON.stringify({ format: 2, cart: filled }))).toBeNull();
    // The unversioned form of earlier apps.
    expect(decodeCart(JSON.stringify(filled))).toBeNull();
  });

  it('drops what is not JSON, or not a cart, without throwing', () => {
    expect(decodeCart('{"format":1,')).toBeNull();
    expect(decodeCart('null')).toBeNull();
    expect(decodeCart(JSON.stringify({ format: 1, cart: { lines: [{ ...filled.lines[0], quantity: -3 }], checkout: null } }))).toBeNull();
  });
});

describe('loadCart and keepCartStored', () => {
  it('starts from the stored cart', () => {
    expect(loadCart(memoryStorage({ [CART_STORAGE_KEY]: encodeCart(filled) }))).toEqual(filled);
  });

  it('starts empty, and removes the stored value, when it does not parse', () => {
    const storage = memoryStorage({ [CART_STORAGE_KEY]: 'not a cart' });
    expect(loadCart(storage)).toEqual(EMPTY_CART);
    expect(storage.getItem(CART_STORAGE_KEY)).toBeNull();
  });

  it('starts empty where there is no storage at all', () => {
    expect(loadCart(null)).toEqual(EMPTY_CART);
  });

  it('stores the cart each time it changes, so the next load finds it', () => {
    const storage = memoryStorage();
    const store = configureStore({ reducer: { cart: cart.reducer } });
    keepCartStored(store, storage);
    store.dispatch(added({ product: mug, quantity: 2 }));
    expect(loadCart(storage).lines).toEqual(store.getState().cart.lines);
    store.dispatch(emptied());
    expect(loadCart(storage)).toEqual(EMPTY_CART);
  });
});
