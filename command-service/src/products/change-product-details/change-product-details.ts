import type { ChangeProductDetails } from '@shop/domain';
import type { EventMetadata } from '@shop/kernel';
import { runProductCommand, type ProductCommandDeps, type ProductCommandOutcome } from '../product-command.js';

/** Renames, redescribes, reprices a product or changes its image, only at the version the admin read (`ifMatch`: lost-update protection). */
export const changeProductDetails = (deps: ProductCommandDeps, data: ChangeProductDetails['data'], metadata: EventMetadata, ifMatch?: bigint): Promise<ProductCommandOutcome> =>
  runProductCommand(deps, { type: 'ChangeProductDetails', data }, metadata, ifMatch);
