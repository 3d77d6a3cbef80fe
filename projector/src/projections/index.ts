import {
  CATALOG_CACHE_PREFIX,
  CATALOG_TABLE,
  CUSTOMERS_CACHE_PREFIX,
  CUSTOMERS_TABLE,
  ORDERS_CACHE_PREFIX,
  ORDERS_FORGOTTEN_CUSTOMERS_TABLE,
  ORDERS_TABLE,
} from '@shop/read-models';
import { catalogProjection, catalogProjectionInto } from './catalog/catalog.projection.js';
import { customersProjection, customersProjectionInto } from './customers/customers.projection.js';
import { ordersProjection, ordersProjectionInto } from './orders/orders.projection.js';
import type { Projection } from './projection.js';

/** A projection whose read model is tables of its own, so it can be rebuilt into shadow tables and swapped in. */
export interface RebuildableProjection {
  projection: Projection;
  table: string;
  /**
   * Further tables of the same read model (live names), rebuilt into shadows beside `table`'s and swapped in with
   * it; `into` is then told where each of them goes.
   */
  companionTables?: readonly string[];
  into: (table: string, companionTable?: (live: string) => string) => Projection;
  /** Redis keys of this read model: all dropped after a rebuild. */
  cachePrefix: string;
}

/** Every projection the projector runs, by name (`npm run projections -- <command> <name>`). */
export const PROJECTIONS: Readonly<Record<string, RebuildableProjection>> = {
  [catalogProjection.name]: { projection: catalogProjection, table: CATALOG_TABLE, into: catalogProjectionInto, cachePrefix: CATALOG_CACHE_PREFIX },
  [ordersProjection.name]: {
    projection: ordersProjection,
    table: ORDERS_TABLE,
    companionTables: [ORDERS_FORGOTTEN_CUSTOMERS_TABLE],
    into: (table, companionTable = (live) => live) =>
      ordersProjectionInto({ orders: table, forgottenCustomers: companionTable(ORDERS_FORGOTTEN_CUSTOMERS_TABLE) }),
    cachePrefix: ORDERS_CACHE_PREFIX,
  },
  [customersProjection.name]: { projection: customersProjection, table: CUSTOMERS_TABLE, into: customersProjectionInto, cachePrefix: CUSTOMERS_CACHE_PREFIX },
};
