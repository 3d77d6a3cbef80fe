import type { SalesByDay, SalesByProduct, SalesRange } from '@shop/read-models';

/**
 * Where sales reports come from: the SQL `sales` read model, or the Elasticsearch `analytics` projection when a
 * cluster is configured. Both answer the same rows in the same order for the same history
 * (`sales-report.contract.ts` holds them to it).
 */
export interface SalesReportSource {
  /** The projection whose checkpoint tells how far this source has got: what read-your-writes waits on. */
  readonly projection: string;
  readonly backend: 'postgres' | 'elasticsearch';
  /** One row per UTC day and currency with sales in [from, to), ascending day then currency. */
  salesByDay(range: SalesRange): Promise<SalesByDay[]>;
  /** One row per product and currency with sales in [from, to), descending revenue, then currency, then product. */
  salesByProduct(range: SalesRange): Promise<SalesByProduct[]>;
}
