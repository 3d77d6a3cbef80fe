import type { EventMetadata } from '@shop/kernel';
import { runProductCommand, type ProductCommandDeps, type ProductCommandOutcome } from '../product-command.js';

/** Takes a product off sale; refused unless it is active (product_not_found, product_discontinued). */
export const discontinueProduct = (deps: ProductCommandDeps, productId: string, metadata: EventMetadata, ifMatch?: bigint): Promise<ProductCommandOutcome> =>
  runProductCommand(deps, { type: 'DiscontinueProduct', data: { productId } }, metadata, ifMatch);
