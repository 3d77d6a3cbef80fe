import {
  CATALOG_CACHE_PREFIX,
  CATALOG_TABLE,
  CUSTOMERS_CACHE_PREFIX,
  CUSTOMERS_TABLE,
  ORDERS_CACHE_PREFIX,
  ORDERS_FORGOTTEN_CUSTOMERS_TABLE,
  ORDERS_TABLE,
  SALES_FACTS_TABLE,
  SALES_ORDERS_TABLE,
} from '@shop/read-models';
import { catalogProjection, catalogProjectionInto } from './catalog/catalog.projection.js';
import { customersProjection, customersProjectionInto } from './customers/customers.projection.js';
import { ordersProjection, ordersProjectionInto } from './orders/orders.projection.js';
import type { Projection } from './projection.js';
import { salesProjection, salesProjectionInto } from './sales/sales.projection.js';

/**
 * A projection whose read model lives in Postgres tables, so it can be rebuilt into shadow tables and swapped in.
 * A read model of several tables is rebuilt, digested and swapped as one: every table in one transaction.
 */
export interface RebuildableProjection {
  projection: Projection;
  /** Every table the read model consists of. */
  tables: readonly string[];
  /** The same projection writing elsewhere: `tableFor(t)` names the table to use instead of each of `tables`. */
  into: (tableFor: (table: string) => string) => Projection;
  /** Redis keys of this read model: all dropped after a rebuild (none when the read model is not cached). */
  cachePrefix?: string;
}

/** Every projection the projector runs, by name (`npm run projections -- <command> <name>`). */
export const PROJECTIONS: Readonly<Record<string, RebuildableProjection>> = {
  [catalogProjection.name]: {
    projection: catalogProjection,
    tables: [CATALOG_TABLE],
    into: (tableFor) => catalogProjectionInto(tableFor(CATALOG_TABLE)),
    cachePrefix: CATALOG_CACHE_PREFIX,
  },
  [ordersProjection.name]: {
    projection: ordersProjection,
    // Orders remember which customers were forgotten, so redaction never depends on the customers projection.
    tables: [ORDERS_TABLE, ORDERS_FORGOTTEN_CUSTOMERS_TABLE],
    into: (tableFor) => ordersProjectionInto({ orders: tableFor(ORDERS_TABLE), forgottenCustomers: tableFor(ORDERS_FORGOTTEN_CUSTOMERS_TABLE) }),
    cachePrefix: ORDERS_CACHE_PREFIX,
  },
  [customersProjection.name]: {
    projection: customersProjection,
    tables: [CUSTOMERS_TABLE],
    into: (tableFor) => customersProjectionInto(tableFor(CUSTOMERS_TABLE)),
    cachePrefix: CUSTOMERS_CACHE_PREFIX,
  },
  [salesProjection.name]: {
    projection: salesProjection,
    tables: [SALES_ORDERS_TABLE, SALES_FACTS_TABLE],
    into: (tableFor) => salesProjectionInto({ orders: tableFor(SALES_ORDERS_TABLE), facts: tableFor(SALES_FACTS_TABLE) }),
  },
};
