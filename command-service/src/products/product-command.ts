import { productStreamId, type ProductCommand, type ProductState } from '@shop/domain';
import { decisionOn, handleCommand, type AggregateCache, type EventMetadata, type EventStore } from '@shop/kernel';
import { productAggregate } from '../commands/aggregates.js';
import type { KeyedMutex } from '../commands/keyed-mutex.js';

export interface ProductCommandDeps {
  store: EventStore;
  locks: KeyedMutex;
  cache: AggregateCache;
}

export interface ProductCommandOutcome {
  state: ProductState;
  /** The product stream's version afterwards: its ETag. */
  version: bigint;
  /** The position of the command's last event; undefined when it changed nothing. */
  lastPosition: bigint | undefined;
}

/**
 * One command on one existing product, through the command handler. The product is locked in this process, as for
 * orders reserving it, so commands on a hot product queue instead of colliding; with `ifMatch` (the ETag the caller
 * read) it runs only on exactly that version, else StaleExpectedVersion.
 */
export async function runProductCommand(
  deps: ProductCommandDeps,
  command: Exclude<ProductCommand, { type: 'CreateProduct' }>,
  metadata: EventMetadata,
  ifMatch?: bigint,
): Promise<ProductCommandOutcome> {
  const streamId = productStreamId(command.data.productId);
  const outcome = await deps.locks.withKeys([streamId], () =>
    handleCommand(deps.store, decisionOn(streamId, productAggregate, command, { ifMatch }), { metadata, cache: deps.cache }),
  );
  return { state: outcome.stateOf(streamId, productAggregate), version: outcome.versionOf(streamId), lastPosition: outcome.lastPosition };
}
