import { useId, useState } from 'react';
import { useViewer } from '../app/viewer';
import type { Product } from '@shop/client';
import { FieldError } from '../components/Status';
import { parseCount } from '../money';
import { href } from '../route';
import { useAppDispatch, useAppSelector } from '../store';
import { added, MAX_CART_LINES } from './cart';
import { maxAddable } from './stock';

/** Why this product cannot go into the cart (now), or null. */
function unavailable(product: Product, addable: number, inCart: number, cartIsFull: boolean): string | null {
  if (product.status === 'discontinued') return 'Discontinued';
  if (product.stockAvailable <= 0) return 'Out of stock';
  if (addable === 0 && inCart > 0) return 'All available are in your cart';
  if (cartIsFull) return `Your cart holds at most ${MAX_CART_LINES} products`;
  return null;
}

/**
 * "Add to cart", with a quantity picker on the product page bounded by what is in stock (less what the cart already
 * holds). Offered to shoppers and guests (who log in to check out).
 */
export function AddToCart({ product, withQuantity = false }: { product: Product; withQuantity?: boolean }) {
  const viewer = useViewer();
  const dispatch = useAppDispatch();
  const inCart = useAppSelector((state) => state.cart.lines.find((line) => line.productId === product.id)?.quantity ?? 0);
  const cartIsFull = useAppSelector((state) => state.cart.lines.length >= MAX_CART_LINES && inCart === 0);
  const [quantity, setQuantity] = useState('1');
  const errorId = useId();
  if (viewer !== 'guest' && viewer !== 'shopper') return null;

  const addable = maxAddable(product, inCart);
  const reason = unavailable(product, addable, inCart, cartIsFull);
  const count = withQuantity ? parseCount(quantity) : 1;
  const valid = count !== null && count >= 1 && count <= addable;
  const problem = withQuantity && reason === null && !valid ? `Choose from 1 to ${addable}.` : undefined;
  return (
    <div className="add-to-cart">
      {withQuantity && reason === null && (
        <label className="inline">
          Quantity
          <input
            data-testid="add-quantity"
            className="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={addable}
            step={1}
            value={quantity}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
            onChange={(event) => setQuantity(event.target.value)}
          />
        </label>
      )}
      <button
        type="button"
        data-testid="add-to-cart"
        disabled={reason !== null || !valid}
        onClick={() => {
          if (count !== null && valid) dispatch(added({ product, quantity: count }));
          setQuantity('1');
        }}
      >
        {reason ?? 'Add to cart'}
        {!withQuantity && reason === null && <span className="visually-hidden"> {product.name}</span>}
      </button>
      <FieldError text={problem} id={errorId} />
      {inCart > 0 && (
        <a className="in-cart" href={href.cart()} data-testid="in-cart">
          {inCart} in your cart
        </a>
      )}
    </div>
  );
}
