import type pg from 'pg';
import { CATALOG_TABLE, CATALOG_VIEW_COLUMNS, toProductView, type CatalogProductRow, type ProductView } from '@shop/read-models';

export async function findProduct(pool: pg.Pool, id: string): Promise<ProductView | undefined> {
  const result = await pool.query<CatalogProductRow>({
    name: 'catalog_find_product',
    text: `SELECT ${CATALOG_VIEW_COLUMNS} FROM ${CATALOG_TABLE} WHERE id = $1`,
    values: [id],
  });
  const row = result.rows[0];
  return row && toProductView(row);
}

/** Keyset position in the (name, id) order: stable under inserts, no OFFSET scans. */
export interface ProductCursor {
  name: string;
  id: string;
}

export async function listProducts(
  pool: pg.Pool,
  options: { after?: ProductCursor; limit: number; search?: string },
): Promise<{ items: ProductView[]; next?: ProductCursor }> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (options.after) {
    values.push(options.after.name, options.after.id);
    conditions.push(`(name, id) > ($${values.length - 1}, $${values.length})`);
  }
  if (options.search) {
    values.push(options.search);
    conditions.push(`to_tsvector('simple', name || ' ' || description) @@ websearch_to_tsquery('simple', $${values.length})`);
  }
  values.push(options.limit + 1);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const result = await pool.query<CatalogProductRow>(
    `SELECT ${CATALOG_VIEW_COLUMNS} FROM ${CATALOG_TABLE} ${where} ORDER BY name, id LIMIT $${values.length}`,
    values,
  );
  const items = result.rows.slice(0, options.limit).map(toProductView);
  const last = items.at(-1);
  return result.rows.length > options.limit && last ? { items, next: { name: last.name, id: last.id } } : { items };
}
