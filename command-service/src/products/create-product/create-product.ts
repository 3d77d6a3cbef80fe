import {
  claimSku,
  decideProduct,
  initialProductState,
  PRODUCT_EVENT_VERSIONS,
  productStreamId,
  SKU_EVENT_VERSIONS,
  skuStreamId,
  type CreateProduct,
} from '@shop/domain';
import { VersionConflict, type AppendResult, type EventMetadata, type EventStore } from '@shop/kernel';
import { ProblemError } from '@shop/service-kit';
import { toNewEvent } from '../../commands/run-command.js';

/**
 * A new product is a new stream, and its SKU is claimed in the same atomic append: the product stream and the
 * SKU's stream must both be new, so neither a repeated product id nor a repeated SKU can ever be created twice.
 */
export async function createProduct(store: EventStore, command: CreateProduct, metadata: EventMetadata): Promise<AppendResult> {
  const events = decideProduct(command, initialProductState);
  const skuStream = skuStreamId(command.data.sku);
  try {
    const [product] = await store.appendToStreams([
      {
        streamId: productStreamId(command.data.productId),
        expected: 'no_stream',
        events: events.map((event) => toNewEvent(event, PRODUCT_EVENT_VERSIONS[event.type], metadata)),
      },
      { streamId: skuStream, expected: 'no_stream', events: [toNewEvent(claimSku(command.data.sku, command.data.productId), SKU_EVENT_VERSIONS.SkuClaimed, metadata)] },
    ]);
    return product!;
  } catch (error) {
    if (error instanceof VersionConflict && error.streamId === skuStream) {
      throw new ProblemError(409, 'sku_taken', 'SKU already in use', `Another product already has the SKU ${command.data.sku}`);
    }
    throw error;
  }
}
