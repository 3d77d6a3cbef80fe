import type { Product } from '@shop/client';
import { stockBadge } from './stock';

/** In stock / only a few left / out of stock: said in words, the colour only repeats it. */
export function StockBadge({ product }: { product: Pick<Product, 'stockAvailable' | 'status'> }) {
  const { level, label } = stockBadge(product);
  return (
    <span className={`stock stock-${level}`} data-testid="stock-badge" data-level={level}>
      {label}
    </span>
  );
}
