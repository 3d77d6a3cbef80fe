import type pg from 'pg';
import { CATALOG_TABLE } from '@shop/read-models';

export interface StockLevel {
  productId: string;
  sku: string;
  name: string;
  status: 'active' | 'discontinued';
  stockAvailable: number;
}

/** Keyset position in the (stock_available, id) order: lowest stock first, stable under inserts. */
export interface StockCursor {
  stockAvailable: number;
  id: string;
}

/** Available stock per product from the catalog read model, lowest first (index catalog_products_stock_id). */
export async function listStockLevels(pool: pg.Pool, options: { after?: StockCursor; limit: number }): Promise<{ items: StockLevel[]; next?: StockCursor }> {
  const values: unknown[] = [];
  let where = '';
  if (options.after) {
    values.push(options.after.stockAvailable, options.after.id);
    where = 'WHERE (stock_available, id) > ($1, $2)';
  }
  values.push(options.limit + 1);
  const { rows } = await pool.query<{ id: string; sku: string; name: string; status: 'active' | 'discontinued'; stock_available: number }>(
    `SELECT id, sku, name, status, stock_available FROM ${CATALOG_TABLE} ${where} ORDER BY stock_available, id LIMIT $${values.length}`,
    values,
  );
  const items = rows.slice(0, options.limit).map((row) => ({ productId: row.id, sku: row.sku, name: row.name, status: row.status, stockAvailable: row.stock_available }));
  const last = items.at(-1);
  return rows.length > options.limit && last ? { items, next: { stockAvailable: last.stockAvailable, id: last.productId } } : { items };
}
