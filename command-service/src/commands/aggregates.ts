import {
  customerDecider,
  orderDecider,
  PRODUCT_STATE_VERSION,
  productDecider,
  productStateFromJson,
  productStateToJson,
  SKU_EVENT_VERSIONS,
  SkuClaimed,
} from '@shop/domain';
import { commandAggregate } from '@shop/kernel';

/**
 * The aggregates as the command handler runs them: the domain's deciders, their events parsed when read back, and
 * each one's snapshot policy. Long streams are snapshotted: a popular product gathers thousands of reservations, and
 * loading it must not read them all.
 */
const SNAPSHOT_EVERY = 100;

export const productAggregate = commandAggregate(productDecider, {
  schemaVersion: PRODUCT_STATE_VERSION,
  every: SNAPSHOT_EVERY,
  toJson: productStateToJson,
  fromJson: productStateFromJson,
});

// Not snapshotted: its state holds the shipping address, and snapshots are stored as they are, outside the
// personal-data codec (an order stream has a handful of events anyway).
export const orderAggregate = commandAggregate(orderDecider);

// Not snapshotted: its state is the customer's email and name, and snapshots are stored as they are, outside the
// personal-data codec (erasure could not reach them).
export const customerAggregate = commandAggregate(customerDecider);

/** A SKU's stream holds only its claim (written with the product's creation, never decided on its own). */
export const skuAggregate = commandAggregate<{ productId?: string }, SkuClaimed, never>({
  initialState: {},
  evolve: (_state, event) => ({ productId: event.data.productId }),
  decide: () => [],
  events: SkuClaimed,
  eventVersions: SKU_EVENT_VERSIONS,
});
