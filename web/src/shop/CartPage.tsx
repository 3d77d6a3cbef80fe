import { MAX_LINE_QUANTITY } from '@shop/domain';
import { useViewer } from '../app/viewer';
import { formatCents } from '../money';
import { href } from '../route';
import { useAppDispatch, useAppSelector } from '../store';
import { cartProblem, estimatedTotals, quantityChanged, removed, type CartLine } from './cart';
import { CheckoutForm } from './CheckoutForm';
import { NumberColumn } from '../components/NumberColumn';
import { TableScroll } from '../components/TableScroll';

export function CartPage() {
  const viewer = useViewer();
  const lines = useAppSelector((state) => state.cart.lines);
  const problem = cartProblem(lines);

  return (
    <>
      <section className="panel">
        <h1>Your cart</h1>
        {lines.length === 0 ? (
          <p className="empty" data-testid="cart-empty">
            Your cart is empty. <a href={href.catalog()}>Browse the catalog</a>
          </p>
        ) : (
          <CartLines lines={lines} />
        )}
        {lines.length > 0 && problem && (
          <p className="status status-error" role="alert">
            {problem}
          </p>
        )}
      </section>
      {lines.length > 0 &&
        !problem &&
        (viewer === 'shopper' ? (
          <CheckoutForm lines={lines} />
        ) : (
          <section className="panel">
            <p data-testid="checkout-login">
              <a href={href.login('/cart')}>Log in</a> or <a href={href.register()}>create an account</a> to check out.
            </p>
          </section>
        ))}
    </>
  );
}

function CartLines({ lines }: { lines: readonly CartLine[] }) {
  return (
    <TableScroll label="Cart">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <NumberColumn>Unit price</NumberColumn>
            <th scope="col">Quantity</th>
            <NumberColumn>Subtotal</NumberColumn>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <CartRow key={line.productId} line={line} />
          ))}
        </tbody>
        <tfoot>
          {estimatedTotals(lines).map(({ currency, cents }) => (
            <tr key={currency}>
              <th scope="row" colSpan={3}>
                Estimated total
              </th>
              <td className="num" data-testid="cart-total">
                {formatCents(cents, currency)}
              </td>
              <td />
            </tr>
          ))}
          <tr>
            <td colSpan={5} className="hint">
              Prices are confirmed from the catalog when you place the order.
            </td>
          </tr>
        </tfoot>
      </table>
    </TableScroll>
  );
}

function CartRow({ line }: { line: CartLine }) {
  const dispatch = useAppDispatch();
  return (
    <tr data-testid="cart-line">
      <td>
        <a href={href.product(line.productId)}>{line.name}</a> <span className="mono hint">{line.sku}</span>
      </td>
      <td className="num">{formatCents(line.unitPriceCents, line.currency)}</td>
      <td>
        <label className="visually-hidden" htmlFor={`quantity-${line.productId}`}>
          Quantity of {line.name}
        </label>
        <input
          id={`quantity-${line.productId}`}
          data-testid="cart-quantity"
          className="quantity"
          type="number"
          min={1}
          max={MAX_LINE_QUANTITY}
          step={1}
          value={line.quantity}
          onChange={(event) => {
            const quantity = event.target.valueAsNumber;
            if (Number.isFinite(quantity)) dispatch(quantityChanged({ productId: line.productId, quantity }));
          }}
        />
      </td>
      <td className="num">{formatCents(line.unitPriceCents * line.quantity, line.currency)}</td>
      <td>
        <button type="button" className="link" data-testid="cart-remove" onClick={() => dispatch(removed(line.productId))}>
          Remove<span className="visually-hidden"> {line.name}</span>
        </button>
      </td>
    </tr>
  );
}
