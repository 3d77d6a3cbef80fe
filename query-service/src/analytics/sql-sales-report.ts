import type pg from 'pg';
import { SALES_FACTS_TABLE, SALES_PROJECTION, type SalesByDay, type SalesByProduct, type SalesRange } from '@shop/read-models';
import type { SalesReportSource } from './sales-report.port.js';

interface DayRow {
  day: string;
  currency: string;
  orders: string;
  units: string;
  revenue_cents: string;
}
interface ProductRow {
  product_id: string;
  sku: string;
  name: string;
  currency: string;
  orders: string;
  units: string;
  revenue_cents: string;
}

/** Reports aggregated from the sales facts at query time: exact for any [from, to), read by the (at) index. */
export class SqlSalesReport implements SalesReportSource {
  readonly projection = SALES_PROJECTION;
  readonly backend = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {}

  async salesByDay({ from, to }: SalesRange): Promise<SalesByDay[]> {
    const { rows } = await this.pool.query<DayRow>({
      name: 'sales_by_day',
      text: `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, currency, sum(order_delta) AS orders, sum(units) AS units,
                    sum(revenue_cents) AS revenue_cents
               FROM ${SALES_FACTS_TABLE} WHERE at >= $1 AND at < $2
              GROUP BY 1, currency ORDER BY 1, currency COLLATE "C"`,
      values: [from, to],
    });
    return rows.map((row) => ({ day: row.day, currency: row.currency, orders: Number(row.orders), units: Number(row.units), revenueCents: Number(row.revenue_cents) }));
  }

  async salesByProduct({ from, to }: SalesRange): Promise<SalesByProduct[]> {
    // The sku and name are those of the product's latest fact in the range (as sold then): a product renamed
    // in between still gets one row.
    const { rows } = await this.pool.query<ProductRow>({
      name: 'sales_by_product',
      text: `SELECT product_id, currency, sum(sign) AS orders, sum(units) AS units, sum(revenue_cents) AS revenue_cents,
                    (array_agg(sku ORDER BY at DESC, position DESC, line_no DESC))[1] AS sku,
                    (array_agg(name ORDER BY at DESC, position DESC, line_no DESC))[1] AS name
               FROM ${SALES_FACTS_TABLE} WHERE at >= $1 AND at < $2
              GROUP BY product_id, currency
              ORDER BY sum(revenue_cents) DESC, currency COLLATE "C", product_id::text COLLATE "C"`,
      values: [from, to],
    });
    return rows.map((row) => ({
      productId: row.product_id,
      sku: row.sku,
      name: row.name,
      currency: row.currency,
      orders: Number(row.orders),
      units: Number(row.units),
      revenueCents: Number(row.revenue_cents),
    }));
  }
}
