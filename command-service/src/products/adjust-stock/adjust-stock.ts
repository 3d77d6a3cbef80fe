import type { AdjustStock } from '@shop/domain';
import type { EventMetadata } from '@shop/kernel';
import { runProductCommand, type ProductCommandDeps, type ProductCommandOutcome } from '../product-command.js';

/** Stock received (delta > 0) or corrected (delta < 0); refused (insufficient_stock) rather than negative stock. */
export const adjustStock = (deps: ProductCommandDeps, data: AdjustStock['data'], metadata: EventMetadata, ifMatch?: bigint): Promise<ProductCommandOutcome> =>
  runProductCommand(deps, { type: 'AdjustStock', data }, metadata, ifMatch);
