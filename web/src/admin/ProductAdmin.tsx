import type { Product } from '@shop/client';
import { DiscontinueProduct } from './DiscontinueProduct';
import { ProductEditor } from './ProductEditor';
import { StockForm } from './StockForm';

/** The admin's tools on a product page. A discontinued product can no longer be changed or restocked. */
export function ProductAdmin({ product }: { product: Product }) {
  if (product.status === 'discontinued') {
    return (
      <section className="panel narrow">
        <h2>Manage</h2>
        <p className="hint" data-testid="discontinued-note">
          This product is discontinued: it can no longer be ordered, changed or restocked.
        </p>
      </section>
    );
  }
  return (
    <>
      <ProductEditor product={product} />
      <StockForm product={product} />
      <DiscontinueProduct product={product} />
    </>
  );
}
