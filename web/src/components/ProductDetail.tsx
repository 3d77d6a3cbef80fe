import { useGetProductQuery } from '../api';
import { formatCents } from '../money';
import { errorMessage } from '../problem';
import { Status } from './Status';

export function ProductDetail({ id }: { id: string }) {
  const { data: product, error, isLoading } = useGetProductQuery(id);
  const message = errorMessage(error);

  return (
    <section className="panel narrow">
      <p>
        <a href="#/">← Catalog</a>
      </p>
      {isLoading && <p className="empty">Loading…</p>}
      {message && <Status message={{ kind: 'error', text: message }} />}
      {product && (
        <article data-testid="product-detail">
          <h1>{product.name}</h1>
          <p className="description">{product.description || <em>No description.</em>}</p>
          <dl>
            <dt>SKU</dt>
            <dd className="mono">{product.sku}</dd>
            <dt>Price</dt>
            <dd>{formatCents(product.priceCents, product.currency)}</dd>
            <dt>In stock</dt>
            <dd>{product.stockAvailable}</dd>
          </dl>
        </article>
      )}
    </section>
  );
}
