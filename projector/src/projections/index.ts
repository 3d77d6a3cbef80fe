import { CATALOG_CACHE_PREFIX, CATALOG_TABLE, SALES_FACTS_TABLE, SALES_ORDERS_TABLE } from '@shop/read-models';
import { catalogProjection, catalogProjectionInto } from './catalog/catalog.projection.js';
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
  [salesProjection.name]: {
    projection: salesProjection,
    tables: [SALES_ORDERS_TABLE, SALES_FACTS_TABLE],
    into: (tableFor) => salesProjectionInto({ orders: tableFor(SALES_ORDERS_TABLE), facts: tableFor(SALES_FACTS_TABLE) }),
  },
};
