import { claimSku, productStreamId, skuStreamId, type CreateProduct } from '@shop/domain';
import { handleCommand, VersionConflict, writeTo, type EventMetadata, type EventStore } from '@shop/kernel';
import { productAggregate, skuAggregate } from '../../commands/aggregates.js';

/** Another product already holds the SKU (409 sku_taken at the HTTP edge). */
export class SkuTaken extends Error {
  override readonly name = 'SkuTaken';
  constructor(readonly sku: string) {
    super(`Another product already has the SKU ${sku}`);
  }
}

export interface CreatedProduct {
  /** The new product stream's version (its ETag) and the position of its event (the SKU's claim comes after it). */
  version: bigint;
  lastPosition: bigint;
}

/**
 * A new product is a new stream, and its SKU is claimed in the same atomic append: neither stream is read, so the
 * command handler appends both with `no_stream`, and neither a repeated product id nor a repeated SKU can ever be
 * created twice (a conflict on a stream that was to be new is not retried).
 */
export async function createProduct(store: EventStore, command: CreateProduct, metadata: EventMetadata): Promise<CreatedProduct> {
  const productStream = productStreamId(command.data.productId);
  const skuStream = skuStreamId(command.data.sku);
  try {
    const outcome = await handleCommand(
      store,
      async () => [
        writeTo(productStream, productAggregate, productAggregate.decide(command, productAggregate.initialState)),
        writeTo(skuStream, skuAggregate, [claimSku(command.data.sku, command.data.productId)]),
      ],
      { metadata },
    );
    return { version: outcome.versionOf(productStream), lastPosition: outcome.lastPositionOf(productStream)! };
  } catch (error) {
    if (error instanceof VersionConflict && error.streamId === skuStream) throw new SkuTaken(command.data.sku);
    throw error;
  }
}
