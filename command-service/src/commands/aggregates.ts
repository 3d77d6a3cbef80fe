import {
  CUSTOMER_EVENT_VERSIONS,
  CustomerEvent,
  decideCustomer,
  decideOrder,
  decideProduct,
  evolveCustomer,
  evolveOrder,
  evolveProduct,
  initialCustomerState,
  initialOrderState,
  initialProductState,
  ORDER_EVENT_VERSIONS,
  OrderEvent,
  PRODUCT_EVENT_VERSIONS,
  PRODUCT_STATE_VERSION,
  ProductEvent,
  productStateFromJson,
  productStateToJson,
  type CustomerCommand,
  type CustomerState,
  type OrderCommand,
  type OrderState,
  type ProductCommand,
  type ProductState,
} from '@shop/domain';
import type { CommandAggregate } from './run-command.js';

/**
 * The aggregates as the command side loads them. Events read back are parsed by their zod schemas (parse, don't
 * trust). Long streams are snapshotted: a popular product gathers thousands of reservations, and loading it must
 * not read them all.
 */
const SNAPSHOT_EVERY = 100;

export const productAggregate: CommandAggregate<ProductState, ProductEvent, ProductCommand> = {
  initialState: initialProductState,
  evolve: evolveProduct,
  decide: decideProduct,
  parse: (event) => ProductEvent.parse({ type: event.type, data: event.data }),
  schemaVersionOf: (type) => PRODUCT_EVENT_VERSIONS[type],
  snapshot: { schemaVersion: PRODUCT_STATE_VERSION, every: SNAPSHOT_EVERY, toJson: productStateToJson, fromJson: productStateFromJson },
};

export const orderAggregate: CommandAggregate<OrderState, OrderEvent, OrderCommand> = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: decideOrder,
  parse: (event) => OrderEvent.parse({ type: event.type, data: event.data }),
  schemaVersionOf: (type) => ORDER_EVENT_VERSIONS[type],
  // Not snapshotted: its state holds the shipping address, and snapshots are stored as they are, outside the
  // personal-data codec (an order stream has a handful of events anyway).
};

export const customerAggregate: CommandAggregate<CustomerState, CustomerEvent, CustomerCommand> = {
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: decideCustomer,
  parse: (event) => CustomerEvent.parse({ type: event.type, data: event.data }),
  schemaVersionOf: (type) => CUSTOMER_EVENT_VERSIONS[type],
  // Not snapshotted: its state is the customer's email and name, and snapshots are stored as they are, outside the
  // personal-data codec (erasure could not reach them).
};
