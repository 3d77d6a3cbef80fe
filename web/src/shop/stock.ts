import { MAX_LINE_QUANTITY } from '@shop/domain';
import type { Product } from '@shop/client';

/** At or below this many available, the badge says stock is low (so a shopper does not wait too long). */
export const LOW_STOCK = 5;

export type StockLevel = 'in' | 'low' | 'out';

/** The badge beside a product: in stock, only a few left, or none (a discontinued product is sold no more). */
export function stockBadge(product: Pick<Product, 'stockAvailable' | 'status'>): { level: StockLevel; label: string } {
  if (product.status === 'discontinued') return { level: 'out', label: 'No longer sold' };
  if (product.stockAvailable <= 0) return { level: 'out', label: 'Out of stock' };
  if (product.stockAvailable <= LOW_STOCK) return { level: 'low', label: `Only ${product.stockAvailable} left` };
  return { level: 'in', label: 'In stock' };
}

/**
 * How many more the shopper may add: what is available beyond what the cart already holds, and no more than one
 * order line takes. The server still decides at checkout (409 `out_of_stock` if others bought first).
 */
export function maxAddable(product: Pick<Product, 'stockAvailable' | 'status'>, inCart: number): number {
  if (product.status === 'discontinued') return 0;
  return Math.max(0, Math.min(product.stockAvailable, MAX_LINE_QUANTITY) - inCart);
}

