import { randomUUID } from 'node:crypto';
import {
  decideProduct,
  initialProductState,
  PRODUCT_EVENT_VERSIONS,
  productStreamId,
  type CreateProduct,
  type ProductEvent,
} from '@shop/domain';
import type { AppendResult, EventMetadata, EventStore, NewEvent } from '@shop/kernel';

export const toNewProductEvent = (event: ProductEvent, metadata: EventMetadata): NewEvent => ({
  eventId: randomUUID(),
  type: event.type,
  schemaVersion: PRODUCT_EVENT_VERSIONS[event.type],
  data: event.data,
  metadata,
});

/** A new product is a new stream: `no_stream` makes a second create of the same id a conflict, not a duplicate. */
export async function createProduct(store: EventStore, command: CreateProduct, metadata: EventMetadata): Promise<AppendResult> {
  const events = decideProduct(command, initialProductState);
  return store.appendToStream(
    productStreamId(command.data.productId),
    'no_stream',
    events.map((event) => toNewProductEvent(event, metadata)),
  );
}
