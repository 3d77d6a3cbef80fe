import { useState, type FormEvent } from 'react';
import { FieldError, Status, type StatusMessage } from '../components/Status';
import { useForm } from '../components/use-form';
import { usePlaceOrderMutation } from '../orders/orders.api';
import { errorMessage, type ApiError } from '../problem';
import { href, navigate } from '../route';
import { useAppDispatch, useAppSelector } from '../store';
import { checkoutSettled, checkoutStarted, orderLinesOf, type CartLine } from './cart';
import { attemptFor, mayRetryWithSameKey, newIdempotencyKey } from './checkout-attempt';
import { countryName, EMPTY_ADDRESS, toShippingAddress, type AddressFields } from './shipping-address';

const FIELDS: Array<{ name: keyof AddressFields; label: string; autoComplete: string; optional?: boolean }> = [
  { name: 'name', label: 'Recipient (if not you)', autoComplete: 'name', optional: true },
  { name: 'line1', label: 'Street and number', autoComplete: 'address-line1' },
  { name: 'line2', label: 'Address line 2', autoComplete: 'address-line2', optional: true },
  { name: 'postalCode', label: 'Postal code', autoComplete: 'postal-code' },
  { name: 'city', label: 'City', autoComplete: 'address-level2' },
  { name: 'country', label: 'Country code (e.g. DE, GB)', autoComplete: 'country' },
];

/**
 * Checkout: the shipping address, then `POST /api/orders` with the attempt's Idempotency-Key. On success the
 * cart empties (see cart.ts) and the order page opens: the write's Consistency-Token is already in the session,
 * so that page's read waits for the order to be in the read model rather than answering 404.
 */
export function CheckoutForm({ lines }: { lines: readonly CartLine[] }) {
  const dispatch = useAppDispatch();
  const pending = useAppSelector((state) => state.cart.checkout);
  const [placeOrder, { isLoading }] = usePlaceOrderMutation();
  const { fields, errors, input, describedBy, errorOf, check, formRef } = useForm<AddressFields>(EMPTY_ADDRESS);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = check(toShippingAddress(fields));
    if (!checked) {
      // The focus moves to the first field in error (useForm); this line says why nothing was sent.
      setStatus({ kind: 'error', text: 'Please fix the fields marked below.' });
      return;
    }
    setStatus(null);
    const order = { lines: orderLinesOf(lines), shippingAddress: checked.address };
    const attempt = attemptFor(pending, order, newIdempotencyKey);
    dispatch(checkoutStarted(attempt));
    try {
      const placed = await placeOrder({ order, idempotencyKey: attempt.idempotencyKey }).unwrap();
      navigate(href.order(placed.orderId));
    } catch (caught) {
      const error = caught as ApiError;
      const retry = mayRetryWithSameKey(error);
      if (!retry) dispatch(checkoutSettled());
      const text = errorMessage(error) ?? 'The order could not be placed.';
      setStatus({ kind: 'error', text: retry ? `${text} You can place it again: as long as the cart and address stay the same, it will not be placed twice.` : text });
    }
  }

  const country = countryName(fields.country);
  return (
    <section className="panel">
      <h2>Shipping address</h2>
      <form ref={formRef} className="grid" noValidate onSubmit={(event) => void submit(event)} aria-label="Checkout">
        {FIELDS.map(({ name, label, autoComplete, optional }) => (
          <label key={name} className={name === 'line1' || name === 'line2' ? 'wide' : undefined}>
            {label}
            <input
              data-testid={`address-${name}`}
              autoComplete={`shipping ${autoComplete}`}
              required={!optional}
              {...input(name)}
              {...describedBy(name)}
              {...(name === 'country' ? { maxLength: 2, className: 'country' } : {})}
            />
            {name === 'country' && country && !errors.country && <small className="hint">{country}</small>}
            <FieldError {...errorOf(name)} />
          </label>
        ))}
        <div className="wide">
          <button data-testid="place-order" type="submit" disabled={isLoading}>
            {isLoading ? 'Placing your order…' : pending ? 'Place order (again)' : 'Place order'}
          </button>
        </div>
      </form>
      <Status message={status} />
    </section>
  );
}
