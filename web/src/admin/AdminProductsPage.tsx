import type { Product } from '@shop/client';
import { LoadMore, pagedList } from '../components/LoadMore';
import { NumberColumn } from '../components/NumberColumn';
import { FieldError, RequestState, Status } from '../components/Status';
import { TableScroll } from '../components/TableScroll';
import { formatCents } from '../money';
import { href } from '../route';
import { useListProductsInfiniteQuery } from '../shop/catalog.api';
import { NO_SEARCH } from '../shop/catalog-search';
import { stockDelta, type StockDeltaFields } from './product-changes';
import { useStockChange } from './use-stock-change';

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
 * The row's stock change (no numeric keyboard: a phone's has no minus sign). A refusal (409 `insufficient_stock`) is
 * said beside the row; a success shows in it.
 */
function StockChange({ product }: { product: Product }) {
  const { input, describedBy, errorOf, formRef, status, saving, submit } = useStockChange(product, NO_CHANGE, stockDelta);

  return (
    <form ref={formRef} className="stock-change" noValidate onSubmit={submit} aria-label={`Change the stock of ${product.name}`}>
      <label>
        Units
        <input className="stock-delta" data-testid="row-stock-delta" {...input('delta')} {...describedBy('delta')} />
        <FieldError {...errorOf('delta')} />
      </label>
      <label>
        Reason
        <input data-testid="row-stock-reason" {...input('reason')} {...describedBy('reason')} />
        <FieldError {...errorOf('reason')} />
      </label>
      <button type="submit" data-testid="row-stock-submit" disabled={saving}>
        {saving ? 'Saving…' : 'Record'}
      </button>
      <Status message={status} testId="row-stock-status" />
    </form>
  );
}
