import type { Product } from '@shop/client';
import { FieldError, Status } from '../components/Status';
import { stockAdjustment, type StockFields } from './product-changes';
import { useStockChange } from './use-stock-change';

const EMPTY: StockFields = { direction: 'received', units: '', reason: '' };

/** Goods received, or units written off (the API refuses to take available stock below zero). */
export function StockForm({ product }: { product: Product }) {
  const { fields, setFields, errors, input, status, saving, submit } = useStockChange(product, EMPTY, stockAdjustment);

  return (
    <section className="panel narrow" aria-labelledby="stock">
      <h2 id="stock">Stock</h2>
      <p className="hint">{product.stockAvailable} available for orders.</p>
      <form className="grid" noValidate onSubmit={submit}>
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
          <button type="submit" data-testid="stock-submit" disabled={saving}>
            {saving ? 'Saving…' : 'Record'}
          </button>
        </div>
      </form>
      <Status message={status} testId="stock-status" />
    </section>
  );
}
