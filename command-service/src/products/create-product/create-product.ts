import { productStreamId, type CreateProduct } from '@shop/domain';
import type { EventMetadata, EventStore } from '@shop/kernel';
import { productAggregate } from '../../commands/aggregates.js';
import { runCommand, type CommandOutcome } from '../../commands/run-command.js';
import type { ProductState } from '@shop/domain';

/** A new product is a new stream: the decider refuses a second create of the same id. */
export function createProduct(store: EventStore, command: CreateProduct, metadata: EventMetadata): Promise<CommandOutcome<ProductState>> {
  return runCommand(store, productStreamId(command.data.productId), productAggregate, command, metadata);
}
