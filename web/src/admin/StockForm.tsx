import { useState, type FormEvent } from 'react';
import type { Product } from '@shop/client';
import { FieldError, Status, type StatusMessage } from '../components/Status';
import { useForm } from '../components/use-form';
import { errorMessage, type ApiError } from '../problem';
import { stockAdjustment, type StockFields } from './product-changes';
import { useAdjustStockMutation } from './products.api';

const EMPTY: StockFields = { direction: 'received', units: '', reason: '' };

/** Goods received, or units written off (the API refuses to take available stock below zero). */
export function StockForm({ product }: { product: Product }) {
  const [adjust, { isLoading }] = useAdjustStockMutation();
  const { fields, setFields, errors, input, check } = useForm<StockFields>(EMPTY);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = check(stockAdjustment(fields));
    if (!checked) return;
    setStatus(null);
    try {
      const { stockAvailable } = await adjust({ id: product.id, adjustment: checked.adjustment }).unwrap();
      setFields(EMPTY);
      setStatus({ kind: 'ok', text: `Done: ${stockAvailable} available.` });
    } catch (error) {
      setStatus({ kind: 'error', text: errorMessage(error as ApiError) ?? 'Could not change the stock.' });
    }
  }

  return (
    <section className="panel narrow" aria-labelledby="stock">
      <h2 id="stock">Stock</h2>
      <p className="hint">{product.stockAvailable} available for orders.</p>
      <form className="grid" noValidate onSubmit={(event) => void submit(event)}>
        <label>
          Change
          <select
            data-testid="stock-direction"
            value={fields.direction}
            onChange={(event) => setFields((current) => ({ ...current, direction: event.target.value === 'writtenOff' ? 'writtenOff' : 'received' }))}
          >
            <option value="received">Received (adds)</option>
            <option value="writtenOff">Written off (removes)</option>
          </select>
        </label>
        <label>
          Units
          <input data-testid="stock-units" inputMode="numeric" {...input('units')} />
          <FieldError text={errors.units} />
        </label>
        <label className="wide">
          Reason
          <input data-testid="stock-reason" {...input('reason')} />
          <FieldError text={errors.reason} />
        </label>
        <div className="wide">
          <button type="submit" data-testid="stock-submit" disabled={isLoading}>
            {isLoading ? 'Saving…' : 'Record'}
          </button>
        </div>
      </form>
      <Status message={status} testId="stock-status" />
    </section>
  );
}
