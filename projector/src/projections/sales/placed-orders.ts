import type pg from 'pg';
import { SoldLines, type PlacedOrderLines } from '@shop/read-models';

/**
 * The lines of placed orders, kept in a Postgres table beside a projection's checkpoint (a payment or refund event
 * carries no lines). Used by the SQL sales projection (`sales_orders`) and by the Elasticsearch one
 * (`analytics_orders`), each in its own table so that neither depends on the other's progress.
 */
export async function rememberPlacedOrders(tx: pg.ClientBase, table: string, placed: ReadonlyArray<{ order: PlacedOrderLines; position: bigint }>): Promise<void> {
  if (placed.length === 0) return;
  await tx.query(
    `INSERT INTO ${table} (order_id, currency, lines, placed_position)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::bigint[])
     ON CONFLICT (order_id) DO NOTHING`,
    [
      placed.map(({ order }) => order.orderId),
      placed.map(({ order }) => order.currency),
      placed.map(({ order }) => JSON.stringify(order.lines)),
      placed.map(({ position }) => position.toString()),
    ],
  );
}

export async function loadPlacedOrders(tx: pg.ClientBase, table: string, orderIds: readonly string[]): Promise<Map<string, PlacedOrderLines>> {
  if (orderIds.length === 0) return new Map();
  const { rows } = await tx.query<{ order_id: string; currency: string; lines: unknown }>(
    `SELECT order_id, currency, lines FROM ${table} WHERE order_id = ANY($1::uuid[])`,
    [orderIds],
  );
  // Parse, don't trust: what a table gives back is an edge too.
  return new Map(rows.map((row) => [row.order_id, { orderId: row.order_id, currency: row.currency, lines: SoldLines.parse(row.lines) }]));
}
