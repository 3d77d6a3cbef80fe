import type pg from 'pg';
import {
  ORDER_VIEW_COLUMNS,
  ORDERS_PROJECTION,
  ORDERS_TABLE,
  toOrderView,
  type CacheEntry,
  type OrderRow,
  type OrderStatusView,
  type OrderView,
} from '@shop/read-models';
import { findRowAtPosition } from '../cache/read-model-row.js';

/** Which orders a reader may see: decided once per request (see order-scope.ts), applied in SQL. */
export type OrderScope = { kind: 'every-order' } | { kind: 'own-orders'; customerId: string } | { kind: 'no-orders' };

const ORDER_ROW = { name: 'orders_find_order_entry', columns: ORDER_VIEW_COLUMNS, table: ORDERS_TABLE, projection: ORDERS_PROJECTION };

/**
 * One order as a cache entry: the row and the orders checkpoint from ONE statement (one snapshot), so the stamp is
 * the position the row reflects. Its scope is the order's customer, checked on every hit exactly as on a miss; a
 * redacted order has no ETag (its content changed without its version moving).
 */
export async function findOrderEntry(pool: pg.Pool, id: string): Promise<CacheEntry | undefined> {
  const found = await findRowAtPosition<OrderRow>(pool, ORDER_ROW, id);
  if (!found) return undefined;
  const order = toOrderView(found.row);
  // Its customer was forgotten and its personal data erased after the fact: its version no longer identifies its content.
  const redacted = found.row.customer_forgotten_at !== null;
  return { position: found.position, etag: redacted ? '' : String(order.version), scope: order.customerId, body: JSON.stringify(order) };
}

/**
 * Keyset position in the newest-first (placed_at, id) order: stable under inserts, no OFFSET scans. `placedAt` is
 * Postgres' own microsecond text of the row's time, so a page boundary never falls between two orders placed within
 * the same millisecond (a JavaScript Date would round them together).
 */
export interface OrderCursor {
  placedAt: string;
  id: string;
}

/**
 * Narrows a listing, within the reader's scope: orders now in `status`, placed at or after `placedFrom` and before
 * `placedTo` (a half-open range, so consecutive ranges never count an order twice).
 */
export interface OrderFilters {
  status?: OrderStatusView;
  /** ISO 8601 date-times with an offset, given to Postgres as text (to the microsecond). */
  placedFrom?: string;
  placedTo?: string;
}

const PLACED_AT_KEY = `to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export async function listOrders(
  pool: pg.Pool,
  options: { scope: Exclude<OrderScope, { kind: 'no-orders' }>; filters?: OrderFilters; after?: OrderCursor; limit: number },
): Promise<{ items: OrderView[]; next?: OrderCursor }> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (options.scope.kind === 'own-orders') {
    values.push(options.scope.customerId);
    conditions.push(`customer_id = $${values.length}`);
  }
  // Each filter is a condition on an indexed column in the listing's order: orders_status_newest for a status,
  // a range of orders_newest (or orders_customer_newest) for the dates.
  const { status, placedFrom, placedTo } = options.filters ?? {};
  if (status !== undefined) {
    values.push(status);
    conditions.push(`status = $${values.length}`);
  }
  if (placedFrom !== undefined) {
    values.push(placedFrom);
    conditions.push(`placed_at >= $${values.length}::timestamptz`);
  }
  if (placedTo !== undefined) {
    values.push(placedTo);
    conditions.push(`placed_at < $${values.length}::timestamptz`);
  }
  if (options.after) {
    values.push(options.after.placedAt, options.after.id);
    conditions.push(`(placed_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  values.push(options.limit + 1);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const result = await pool.query<OrderRow & { placed_at_key: string }>(
    `SELECT ${ORDER_VIEW_COLUMNS}, ${PLACED_AT_KEY} AS placed_at_key FROM ${ORDERS_TABLE} ${where}
      ORDER BY placed_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  const rows = result.rows.slice(0, options.limit);
  const last = rows.at(-1);
  const items = rows.map(toOrderView);
  return result.rows.length > options.limit && last ? { items, next: { placedAt: last.placed_at_key, id: last.id } } : { items };
}
