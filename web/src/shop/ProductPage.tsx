import { ProductAdmin } from '../admin/admin.lazy';
import { useViewer } from '../app/viewer';
import { BackLink, RequestState } from '../components/Status';
import { formatCents } from '../money';
import { href } from '../route';
import { AddToCart } from './AddToCart';
import { useGetProductQuery } from './catalog.api';
import { ProductImage } from './ProductImage';
import { StockBadge } from './StockBadge';

export function ProductPage({ id }: { id: string }) {
  const viewer = useViewer();
  const { data: product, error, isLoading } = useGetProductQuery(id);

  return (
    <>
      <section className="panel">
        <BackLink to={href.catalog()}>Catalog</BackLink>
        <RequestState loading={isLoading} error={error} />
        {product && (
          <article data-testid="product-detail" className="product-detail">
            <ProductImage product={product} size="page" />
            <div className="product-detail-body">
              <h1>
                {product.name}
                {product.status === 'discontinued' && <span className="tag">discontinued</span>}
              </h1>
              <p className="price price-large" data-testid="product-price-shown">
                {formatCents(product.priceCents, product.currency)}
              </p>
              <p data-testid="product-stock-shown">
                <StockBadge product={product} />
                {viewer === 'admin' && <span className="hint"> {product.stockAvailable} available</span>}
              </p>
              <p className="description">{product.description || <em>No description.</em>}</p>
              <p className="hint">
                SKU <span className="mono">{product.sku}</span>
              </p>
              <AddToCart product={product} withQuantity />
            </div>
          </article>
        )}
      </section>
      {product && viewer === 'admin' && <ProductAdmin product={product} />}
    </>
  );
}
