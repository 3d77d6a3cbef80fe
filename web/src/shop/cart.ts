import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { MAX_LINE_QUANTITY, MIN_LINE_QUANTITY } from '@shop/domain';
import { z } from 'zod';
import type { OrderLineRequest, Product } from '@shop/client';
import { ordersApi } from '../orders/orders.api';
import { loggedOut } from '../session';
import { CheckoutAttempt } from './checkout-attempt';

/** The API takes at most this many lines per order. */
export const MAX_CART_LINES = 100;

/**
 * A line as the shopper saw the product when adding it. Name and price are for display only: the order is
 * priced by the server from the catalog at checkout.
 */
export const CartLine = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  unitPriceCents: z.number().int().min(0),
  currency: z.string(),
  quantity: z.number().int().min(MIN_LINE_QUANTITY).max(MAX_LINE_QUANTITY),
});
export type CartLine = z.infer<typeof CartLine>;

export const CartState = z.object({
  lines: z.array(CartLine).max(MAX_CART_LINES),
  /** The checkout attempt in flight or to retry (its Idempotency-Key), if any. */
  checkout: CheckoutAttempt.nullable(),
});
export type CartState = z.infer<typeof CartState>;

export const EMPTY_CART: CartState = { lines: [], checkout: null };

/** Quantities stay within what one order line may ask for. */
export const clampQuantity = (quantity: number): number =>
  Math.min(MAX_LINE_QUANTITY, Math.max(MIN_LINE_QUANTITY, Math.trunc(Number.isFinite(quantity) ? quantity : MIN_LINE_QUANTITY)));

export const cart = createSlice({
  name: 'cart',
  initialState: EMPTY_CART,
  reducers: {
    /** Adding a product already in the cart adds to its line: an order names each product at most once. */
    added(state, { payload }: PayloadAction<{ product: Product; quantity: number }>) {
      const { product, quantity } = payload;
      const line = state.lines.find((l) => l.productId === product.id);
      if (line) {
        line.quantity = clampQuantity(line.quantity + quantity);
        return;
      }
      if (state.lines.length >= MAX_CART_LINES) return;
      state.lines.push({
        productId: product.id,
        sku: product.sku,
        name: product.name,
        unitPriceCents: product.priceCents,
        currency: product.currency,
        quantity: clampQuantity(quantity),
      });
    },
    quantityChanged(state, { payload }: PayloadAction<{ productId: string; quantity: number }>) {
      const line = state.lines.find((l) => l.productId === payload.productId);
      if (line) line.quantity = clampQuantity(payload.quantity);
    },
    removed(state, { payload: productId }: PayloadAction<string>) {
      state.lines = state.lines.filter((l) => l.productId !== productId);
    },
    checkoutStarted(state, { payload }: PayloadAction<CheckoutAttempt>) {
      state.checkout = payload;
    },
    /** The attempt got a definite answer: the next checkout is a new attempt with a new key. */
    checkoutSettled(state) {
      state.checkout = null;
    },
    emptied: () => EMPTY_CART,
  },
  extraReducers: (builder) => {
    builder
      // A shared computer: the next person to use this tab does not inherit the cart.
      .addCase(loggedOut, () => EMPTY_CART)
      // The order was placed: the cart has become that order, and its attempt is done.
      .addMatcher(ordersApi.endpoints.placeOrder.matchFulfilled, () => EMPTY_CART);
  },
});

export const { added, quantityChanged, removed, checkoutStarted, checkoutSettled, emptied } = cart.actions;

export const orderLinesOf = (lines: readonly CartLine[]): OrderLineRequest[] =>
  lines.map(({ productId, quantity }) => ({ productId, quantity }));

export const itemCount = (lines: readonly CartLine[]): number => lines.reduce((sum, line) => sum + line.quantity, 0);

/** The cart's estimated total per currency (one entry unless the cart mixes currencies). */
export function estimatedTotals(lines: readonly CartLine[]): Array<{ currency: string; cents: number }> {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.unitPriceCents * line.quantity);
  return [...totals].map(([currency, cents]) => ({ currency, cents }));
}

/** Why the cart cannot be checked out as it is, or null. Mirrors the API's 422s so the shopper learns it first. */
export function cartProblem(lines: readonly CartLine[]): string | null {
  if (lines.length === 0) return 'Your cart is empty.';
  if (new Set(lines.map((l) => l.currency)).size > 1) {
    return 'One order is priced in one currency: remove the products in other currencies, and order them separately.';
  }
  return null;
}
