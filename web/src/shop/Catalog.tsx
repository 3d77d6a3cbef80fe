import { useViewer } from '../app/viewer';
import { NewProductForm } from '../admin/NewProductForm';
import { ErrorStatus, Loading } from '../components/Status';
import { LoadMore } from '../components/LoadMore';
import { formatCents } from '../money';
import { href } from '../route';
import { AddToCart } from './AddToCart';
import { useListProductsInfiniteQuery } from './catalog.api';

export function Catalog() {
  const viewer = useViewer();
  const { data, error, isLoading, hasNextPage, fetchNextPage, isFetchingNextPage } = useListProductsInfiniteQuery();
  const products = data?.pages.flatMap((page) => page.items) ?? [];
  const buys = viewer === 'guest' || viewer === 'shopper';

  return (
    <>
      {viewer === 'admin' && <NewProductForm />}
      <section className="panel">
        <h1>Catalog</h1>
        <ErrorStatus error={error} />
        {isLoading && <Loading />}
        {!isLoading && !error && products.length === 0 && (
          <p className="empty" data-testid="empty">
            No products yet
          </p>
        )}
        {products.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">SKU</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  Stock
                </th>
                {buys && <th scope="col"><span className="visually-hidden">Cart</span></th>}
              </tr>
            </thead>
            <tbody>
              {products.map((product) => (
                <tr key={product.id} data-testid="product-row">
                  <td>
                    <a href={href.product(product.id)}>{product.name}</a>
                    {product.status === 'discontinued' && <span className="tag">discontinued</span>}
                  </td>
                  <td className="mono">{product.sku}</td>
                  <td className="num">{formatCents(product.priceCents, product.currency)}</td>
                  <td className="num">{product.stockAvailable}</td>
                  {buys && (
                    <td>
                      <AddToCart product={product} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadMore hasMore={hasNextPage} loading={isFetchingNextPage} onMore={() => void fetchNextPage()} />
      </section>
    </>
  );
}
