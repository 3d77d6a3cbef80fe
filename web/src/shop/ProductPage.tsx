import { ProductAdmin } from '../admin/admin.lazy';
import { useViewer } from '../app/viewer';
import { BackLink, RequestState } from '../components/Status';
import { formatCents } from '../money';
import { href } from '../route';
import { AddToCart } from './AddToCart';
import { useGetProductQuery } from './catalog.api';

export function ProductPage({ id }: { id: string }) {
  const viewer = useViewer();
  const { data: product, error, isLoading } = useGetProductQuery(id);

  return (
    <>
      <section className="panel narrow">
        <BackLink to={href.catalog()}>Catalog</BackLink>
        <RequestState loading={isLoading} error={error} />
        {product && (
          <article data-testid="product-detail">
            <h1>
              {product.name}
              {product.status === 'discontinued' && <span className="tag">discontinued</span>}
            </h1>
            <p className="description">{product.description || <em>No description.</em>}</p>
            <dl>
              <dt>SKU</dt>
              <dd className="mono">{product.sku}</dd>
              <dt>Price</dt>
              <dd data-testid="product-price-shown">{formatCents(product.priceCents, product.currency)}</dd>
              <dt>In stock</dt>
              <dd data-testid="product-stock-shown">{product.stockAvailable}</dd>
            </dl>
            <AddToCart product={product} withQuantity />
          </article>
        )}
      </section>
      {product && viewer === 'admin' && <ProductAdmin product={product} />}
    </>
  );
}
