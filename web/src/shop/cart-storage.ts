import { z } from 'zod';
import { browserStorage } from '../persistence';
import { CartState, EMPTY_CART } from './cart';

/**
 * The cart as kept in localStorage, so it survives a reload and a closed tab. The stored form is versioned: an app
 * that changes the cart's shape bumps CART_FORMAT, and a cart stored by an older app is then dropped (an empty
 * cart), never misread. Whatever is stored is parsed like any other input: edited by hand, it is dropped too.
 */
export const CART_STORAGE_KEY = 'shop.cart';
export const CART_FORMAT = 1;

const StoredCart = z.strictObject({ format: z.literal(CART_FORMAT), cart: CartState });

export const encodeCart = (cart: CartState): string => JSON.stringify({ format: CART_FORMAT, cart });

/** The stored cart, or null when there is none or it cannot be trusted (another format, not JSON, out of bounds). */
export function decodeCart(stored: string | null): CartState | null {
  if (stored === null) return null;
  try {
    const parsed = StoredCart.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data.cart : null;
  } catch {
    return null;
  }
}

/** The cart to start with: the stored one, or an empty one (a stored value that does not parse is removed). */
export function loadCart(storage: Storage | null = browserStorage('local')): CartState {
  const stored = storage?.getItem(CART_STORAGE_KEY) ?? null;
  const cart = decodeCart(stored);
  if (stored !== null && cart === null) storage?.removeItem(CART_STORAGE_KEY);
  return cart ?? EMPTY_CART;
}

/** Keeps the stored cart equal to the store's, written only when the cart changed (the reducer is immutable). */
export function keepCartStored(store: { getState: () => { cart: CartState }; subscribe: (listener: () => void) => unknown }, storage: Storage | null = browserStorage('local')): void {
  let last = store.getState().cart;
  store.subscribe(() => {
    const { cart } = store.getState();
    if (cart === last) return;
    last = cart;
    try {
      storage?.setItem(CART_STORAGE_KEY, encodeCart(cart));
    } catch {
      // A full storage only costs the cart surviving a reload.
    }
  });
}
