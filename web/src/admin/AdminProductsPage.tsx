import type { Product } from '@shop/client';
import { useState, type FormEvent } from 'react';
import { LoadMore, pagedList } from '../components/LoadMore';
import { NumberColumn } from '../components/NumberColumn';
import { FieldError, RequestState, Status, type StatusMessage } from '../components/Status';
import { TableScroll } from '../components/TableScroll';
import { useForm } from '../components/use-form';
import { formatCents } from '../money';
import { errorMessage, type ApiError } from '../problem';
import { href } from '../route';
import { useListProductsInfiniteQuery } from '../shop/catalog.api';
import { NO_SEARCH } from '../shop/catalog-search';
import { stockDelta, type StockDeltaFields } from './product-changes';
import { useAdjustStockMutation } from './products.api';

/** Every product by name, each with its stock and an inline stock change; the product's page has its editor. */
export function AdminProductsPage() {
  const query = useListProductsInfiniteQuery(NO_SEARCH);
  const { items: products, empty, more } = pagedList(query);

  return (
    <section className="panel" aria-labelledby="admin-products-title">
      <h1 id="admin-products-title">Products</h1>
      <p className="hint">
        A stock change adds units (<span className="mono">24</span>) or writes them off (<span className="mono">-2</span>). New products are created{' '}
        <a href={href.catalog()}>on the catalog</a>.
      </p>
      <RequestState loading={query.isLoading} error={query.error} what="the products" />
      {empty && <p className="empty">No products yet.</p>}
      {products.length > 0 && (
        <TableScroll label="Products">
          <table className="table admin-products">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <NumberColumn>Price</NumberColumn>
                <NumberColumn>Available</NumberColumn>
                <th scope="col">Change stock</th>
              </tr>
            </thead>
            <tbody>
              {products.map((product) => (
                <ProductRow key={product.id} product={product} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <LoadMore {...more} />
    </section>
  );
}

function ProductRow({ product }: { product: Product }) {
  return (
    <tr data-testid="admin-product-row" data-product-id={product.id}>
      <td>
        <a href={href.product(product.id)}>
          {product.name}
        </a>{' '}
        <span className="mono hint">{product.sku}</span>
      </td>
      <td className="num">{formatCents(product.priceCents, product.currency)}</td>
      <td className="num" data-testid="admin-product-stock">
        {product.stockAvailable}
      </td>
      <td>{product.status === 'discontinued' ? <span className="hint">Discontinued</span> : <StockChange product={product} />}</td>
    </tr>
  );
}

const NO_CHANGE: StockDeltaFields = { delta: '', reason: '' };

/**
 * The row's stock change. A refusal (409 `insufficient_stock`: the write-off would take available stock below zero)
 * is said beside the row; a success invalidates the product, so the list is read again (with the write's
 * Consistency-Token) and the row shows the new figure.
 */
function StockChange({ product }: { product: Product }) {
  const [adjust, { isLoading }] = useAdjustStockMutation();
  const { fields, setFields, input, describedBy, errorOf, check, formRef } = useForm<StockDeltaFields>(NO_CHANGE);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = check(stockDelta(fields));
    if (!checked) return;
    setStatus(null);
    try {
      const { stockAvailable } = await adjust({ id: product.id, adjustment: checked.adjustment }).unwrap();
      setFields(NO_CHANGE);
      setStatus({ kind: 'ok', text: `Done: ${stockAvailable} available.` });
    } catch (error) {
      setStatus({ kind: 'error', text: errorMessage(error as ApiError) ?? 'Could not change the stock.' });
    }
  }

  return (
    <form ref={formRef} className="stock-change" noValidate onSubmit={(event) => void submit(event)} aria-label={`Change the stock of ${product.name}`}>
      <label>
        Units
        <input className="stock-delta" inputMode="numeric" data-testid="row-stock-delta" {...input('delta')} {...describedBy('delta')} />
        <FieldError {...errorOf('delta')} />
      </label>
      <label>
        Reason
        <input data-testid="row-stock-reason" {...input('reason')} {...describedBy('reason')} />
        <FieldError {...errorOf('reason')} />
      </label>
      <button type="submit" data-testid="row-stock-submit" disabled={isLoading}>
        {isLoading ? 'Saving…' : 'Record'}
      </button>
      <Status message={status} testId="row-stock-status" />
    </form>
  );
}
