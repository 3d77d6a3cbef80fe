import { MAX_LINE_QUANTITY } from '@shop/domain';
import { useState } from 'react';
import { useViewer } from '../app/viewer';
import type { Product } from '@shop/client';
import { parseCount } from '../money';
import { href } from '../route';
import { useAppDispatch, useAppSelector } from '../store';
import { added, MAX_CART_LINES } from './cart';

/** Why this product cannot go into the cart, or null. */
function unavailable(product: Product, cartIsFull: boolean): string | null {
  if (product.status === 'discontinued') return 'Discontinued';
  if (product.stockAvailable <= 0) return 'Out of stock';
  if (cartIsFull) return `Your cart holds at most ${MAX_CART_LINES} products`;
  return null;
}

/** "Add to cart", with a quantity on the product page. Offered to shoppers and guests (who log in to check out). */
export function AddToCart({ product, withQuantity = false }: { product: Product; withQuantity?: boolean }) {
  const viewer = useViewer();
  const dispatch = useAppDispatch();
  const inCart = useAppSelector((state) => state.cart.lines.find((line) => line.productId === product.id)?.quantity ?? 0);
  const cartIsFull = useAppSelector((state) => state.cart.lines.length >= MAX_CART_LINES && inCart === 0);
  const [quantity, setQuantity] = useState('1');
  if (viewer !== 'guest' && viewer !== 'shopper') return null;

  const reason = unavailable(product, cartIsFull);
  const count = parseCount(quantity);
  const valid = count !== null && count >= 1 && count <= MAX_LINE_QUANTITY;
  return (
    <div className="add-to-cart">
      {withQuantity && (
        <label className="inline">
          Quantity
          <input
            data-testid="add-quantity"
            className="quantity"
            inputMode="numeric"
            value={quantity}
            aria-invalid={valid ? undefined : true}
            onChange={(event) => setQuantity(event.target.value)}
          />
        </label>
      )}
      <button
        type="button"
        data-testid="add-to-cart"
        disabled={reason !== null || !valid}
        title={reason ?? undefined}
        onClick={() => dispatch(added({ product, quantity: withQuantity && count !== null ? count : 1 }))}
      >
        {reason ?? 'Add to cart'}
      </button>
      {inCart > 0 && (
        <a className="in-cart" href={href.cart()} data-testid="in-cart">
          {inCart} in your cart
        </a>
      )}
    </div>
  );
}
