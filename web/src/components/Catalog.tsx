import { useListProductsInfiniteQuery } from '../api';
import { formatCents } from '../money';
import { errorMessage } from '../problem';
import { useAppSelector } from '../store';
import { NewProductForm } from './NewProductForm';
import { Status } from './Status';

export function Catalog() {
  const isAdmin = useAppSelector((state) => state.session.auth?.role === 'admin');
  const { data, error, isLoading, hasNextPage, fetchNextPage, isFetchingNextPage } = useListProductsInfiniteQuery();
  const products = data?.pages.flatMap((page) => page.items) ?? [];
  const message = errorMessage(error);

  return (
    <>
      {isAdmin && <NewProductForm />}
      <section className="panel">
        <h1>Catalog</h1>
        {message && <Status message={{ kind: 'error', text: message }} />}
        {isLoading && <p className="empty">Loading…</p>}
        {!isLoading && !message && products.length === 0 && (
          <p className="empty" data-testid="empty">
            No products yet
          </p>
        )}
        {products.length > 0 && (
          <table className="products">
            <thead>
              <tr>
                <th>Name</th>
                <th>SKU</th>
                <th className="num">Price</th>
                <th className="num">Stock</th>
              </tr>
            </thead>
            <tbody>
              {products.map((product) => (
                <tr key={product.id} data-testid="product-row">
                  <td>
                    <a href={`#/products/${encodeURIComponent(product.id)}`}>{product.name}</a>
                  </td>
                  <td className="mono">{product.sku}</td>
                  <td className="num">{formatCents(product.priceCents, product.currency)}</td>
                  <td className="num">{product.stockAvailable}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {hasNextPage && (
          <button type="button" className="secondary" disabled={isFetchingNextPage} onClick={() => void fetchNextPage()} data-testid="load-more">
            {isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        )}
      </section>
    </>
  );
}
