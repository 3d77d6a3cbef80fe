import { useViewer } from '../app/viewer';
import { NewProductForm } from '../admin/admin.lazy';
import { RequestState } from '../components/Status';
import { LoadMore, pagedList } from '../components/LoadMore';
import { formatCents } from '../money';
import { href } from '../route';
import { AddToCart } from './AddToCart';
import { useListProductsInfiniteQuery } from './catalog.api';
import { NumberColumn } from '../components/NumberColumn';

export function Catalog() {
  const viewer = useViewer();
  const query = useListProductsInfiniteQuery();
  const { items: products, empty, more } = pagedList(query);
  const buys = viewer === 'guest' || viewer === 'shopper';

  return (
    <>
      {viewer === 'admin' && <NewProductForm />}
      <section className="panel">
        <h1>Catalog</h1>
        <RequestState loading={query.isLoading} error={query.error} />
        {empty && (
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
                <NumberColumn>Price</NumberColumn>
                <NumberColumn>Stock</NumberColumn>
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
        <LoadMore {...more} />
      </section>
    </>
  );
}
