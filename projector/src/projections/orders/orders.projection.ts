import type pg from 'pg';
import { assertNever, CUSTOMER_STREAM_PREFIX, CustomerEvent, ORDER_STREAM_PREFIX, OrderEvent, type OrderLine, type ShippingAddress } from '@shop/domain';
import type { ProjectedEvent } from '@shop/kernel';
import {
  customerOrdersCacheKey,
  ORDERS_FORGOTTEN_CUSTOMERS_TABLE,
  ORDERS_PROJECTION,
  ORDERS_TABLE,
  orderCacheKey,
  REDACTED_ADDRESS_FIELDS,
  redactedAddressSql,
  type OrderStatusView,
} from '@shop/read-models';
import type { Projection } from '../projection.js';

/** The row an OrderPlaced creates in the orders read model. Times stay ISO strings, as the event carries them. */
export interface NewOrderRow {
  customerId: string;
  lines: OrderLine[];
  currency: string;
  totalCents: number;
  shippingAddress: ShippingAddress;
  placedAt: string;
}

/** Columns a later order event sets (null clears nothing: each event only names what it sets). */
export type OrderFields = Partial<{
  status: Exclude<OrderStatusView, 'placed'>;
  payment_method: string;
  paid_at: string;
  shipped_at: string;
  cancelled_at: string;
  cancellation_reason: string;
  refunded_at: string;
}>;

export type OrderChange = { kind: 'place'; order: NewOrderRow } | { kind: 'set'; fields: OrderFields };

/**
 * The change one event makes to the orders read model: pure, so it is tested without a database. Order events
 * change their order's row; a customer's erasure (CustomerForgotten) redacts every order of that customer.
 */
export type OrdersUpdate =
  | { kind: 'order'; orderId: string; version: bigint; position: bigint; change: OrderChange }
  | { kind: 'customer-forgotten'; customerId: string; forgottenAt: string; position: bigint };

export function ordersUpdateFor(event: ProjectedEvent): OrdersUpdate | undefined {
  if (event.streamId.startsWith(CUSTOMER_STREAM_PREFIX)) {
    // Parse, don't trust: an event read back must still match its schema (also the ones this projection skips).
    const customer = CustomerEvent.parse({ type: event.type, data: event.data });
    return customer.type === 'CustomerForgotten'
      ? { kind: 'customer-forgotten', customerId: customer.data.customerId, forgottenAt: customer.data.forgottenAt, position: event.globalPosition }
      : undefined;
  }
  if (!event.streamId.startsWith(ORDER_STREAM_PREFIX)) return undefined;
  const order = OrderEvent.parse({ type: event.type, data: event.data });
  const update = (change: OrderChange): OrdersUpdate => ({
    kind: 'order',
    orderId: order.data.orderId,
    version: event.streamVersion,
    position: event.globalPosition,
    change,
  });
  switch (order.type) {
    case 'OrderPlaced': {
      const { customerId, lines, currency, totalCents, shippingAddress, placedAt } = order.data;
      return update({ kind: 'place', order: { customerId, lines, currency, totalCents, shippingAddress, placedAt } });
    }
    case 'OrderPaid':
      return update({ kind: 'set', fields: { status: 'paid', payment_method: order.data.method, paid_at: order.data.paidAt } });
    case 'OrderShipped':
      return update({ kind: 'set', fields: { status: 'shipped', shipped_at: order.data.shippedAt } });
    case 'OrderCancelled': {
      const { reason, cancelledAt } = order.data;
      return update({ kind: 'set', fields: { status: 'cancelled', cancelled_at: cancelledAt, ...(reason === undefined ? {} : { cancellation_reason: reason }) } });
    }
    case 'OrderRefunded':
      return update({ kind: 'set', fields: { status: 'refunded', refunded_at: order.data.refundedAt } });
    default:
      return assertNever(order);
  }
}

/** One order's updates of a batch folded into one row change. */
export interface FoldedOrderChange {
  orderId: string;
  placed?: NewOrderRow;
  fields: OrderFields;
  firstVersion: bigint;
  version: bigint;
  position: bigint;
}

export interface FoldedOrdersChanges {
  orders: FoldedOrderChange[];
  /** Customers forgotten in the batch: the first erasure of each counts (a second one changes nothing). */
  forgotten: Array<{ customerId: string; forgottenAt: string; position: bigint }>;
}

/** A batch's updates folded per row: pure, so it is tested without a database. */
export function foldOrdersUpdates(updates: readonly OrdersUpdate[]): FoldedOrdersChanges {
  const orders = new Map<string, FoldedOrderChange>();
  const forgotten = new Map<string, { customerId: string; forgottenAt: string; position: bigint }>();
  for (const update of updates) {
    if (update.kind === 'customer-forgotten') {
      if (!forgotten.has(update.customerId)) forgotten.set(update.customerId, { customerId: update.customerId, forgottenAt: update.forgottenAt, position: update.position });
      continue;
    }
    const current = orders.get(update.orderId) ?? { orderId: update.orderId, fields: {}, firstVersion: update.version, version: update.version, position: update.position };
    const { change } = update;
    switch (change.kind) {
      case 'place':
        current.placed = change.order;
        break;
      case 'set':
        current.fields = { ...current.fields, ...change.fields };
        break;
      default:
        assertNever(change);
    }
    orders.set(update.orderId, { ...current, version: update.version, position: update.position });
  }
  return { orders: [...orders.values()], forgotten: [...forgotten.values()] };
}

export interface OrdersTables {
  orders: string;
  forgottenCustomers: string;
}

const REDACTED_FIELDS_JSON = JSON.stringify(REDACTED_ADDRESS_FIELDS);
const text = (value: string | undefined): string | null => value ?? null;

/**
 * Writes a folded batch in at most four set-based statements, in this order: erasures first, so that orders the
 * batch places for an already forgotten customer are inserted redacted; then new orders whole; then changes to
 * existing orders, each guarded by stream version (an old event never moves a row backwards); last the redaction
 * of the existing orders of customers forgotten in this batch. `last_position` only ever grows, so the result does
 * not depend on how the events were cut into batches. Answers the stale cache keys (each touched order and its
 * customer's order list).
 */
async function writeFolded(tx: pg.ClientBase, changes: FoldedOrdersChanges, tables: OrdersTables): Promise<string[]> {
  const { orders: table, forgottenCustomers } = tables;
  const touched: Array<{ id: string; customer_id: string }> = [];
  const { forgotten } = changes;
  if (forgotten.length) {
    await tx.query(
      `INSERT INTO ${forgottenCustomers} (customer_id, forgotten_at, last_position)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[]) ON CONFLICT (customer_id) DO NOTHING`,
      [forgotten.map((f) => f.customerId), forgotten.map((f) => f.forgottenAt), forgotten.map((f) => f.position.toString())],
    );
  }
  const placed = changes.orders.flatMap((c) => (c.placed ? [{ ...c, placed: c.placed }] : []));
  if (placed.length) {
    // One jsonb document for the whole batch: the lines and addresses are JSON already, and a text[] of JSON
    // documents costs an escaping pass on both sides (measured: twice as slow).
    const { rows } = await tx.query<{ id: string; customer_id: string }>(
      `INSERT INTO ${table} (id, customer_id, status, lines, currency, total_cents, shipping_address, placed_at, payment_method, paid_at,
                             shipped_at, cancelled_at, cancellation_reason, refunded_at, customer_forgotten_at, version, last_position)
       SELECT u.id, u.customer_id, u.status, u.lines, u.currency, u.total_cents,
              CASE WHEN f.customer_id IS NULL THEN u.address ELSE ${redactedAddressSql('u.address', '$2')} END,
              u.placed_at, u.payment_method, u.paid_at, u.shipped_at, u.cancelled_at, u.cancellation_reason, u.refunded_at,
              f.forgotten_at, u.version, GREATEST(u.position, f.last_position)
         FROM jsonb_to_recordset($1::jsonb)
              AS u(id uuid, customer_id uuid, status text, lines jsonb, currency text, total_cents bigint, address jsonb, placed_at timestamptz,
                   payment_method text, paid_at timestamptz, shipped_at timestamptz, cancelled_at timestamptz, cancellation_reason text,
                   refunded_at timestamptz, version bigint, position bigint)
         LEFT JOIN ${forgottenCustomers} f ON f.customer_id = u.customer_id
       ON CONFLICT (id) DO NOTHING
       RETURNING id, customer_id`,
      [
        JSON.stringify(
          placed.map((c) => ({
            id: c.orderId,
            customer_id: c.placed.customerId,
            status: c.fields.status ?? 'placed',
            lines: c.placed.lines,
            currency: c.placed.currency,
            total_cents: c.placed.totalCents,
            address: c.placed.shippingAddress,
            placed_at: c.placed.placedAt,
            payment_method: text(c.fields.payment_method),
            paid_at: text(c.fields.paid_at),
            shipped_at: text(c.fields.shipped_at),
            cancelled_at: text(c.fields.cancelled_at),
            cancellation_reason: text(c.fields.cancellation_reason),
            refunded_at: text(c.fields.refunded_at),
            version: c.version.toString(),
            position: c.position.toString(),
          })),
        ),
        REDACTED_FIELDS_JSON,
      ],
    );
    touched.push(...rows);
  }
  const updated = changes.orders.filter((c) => !c.placed);
  if (updated.length) {
    const { rows } = await tx.query<{ id: string; customer_id: string }>(
      `UPDATE ${table} t SET status = coalesce(u.status, t.status), payment_method = coalesce(u.payment_method, t.payment_method),
              paid_at = coalesce(u.paid_at, t.paid_at), shipped_at = coalesce(u.shipped_at, t.shipped_at),
              cancelled_at = coalesce(u.cancelled_at, t.cancelled_at), cancellation_reason = coalesce(u.cancellation_reason, t.cancellation_reason),
              refunded_at = coalesce(u.refunded_at, t.refunded_at), version = u.version, last_position = GREATEST(t.last_position, u.position)
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::timestamptz[],
                     $9::bigint[], $10::bigint[], $11::bigint[])
              AS u(id, status, payment_method, paid_at, shipped_at, cancelled_at, cancellation_reason, refunded_at, first_version, version, position)
        WHERE t.id = u.id AND t.version < u.first_version
       RETURNING t.id, t.customer_id`,
      [
        updated.map((c) => c.orderId),
        updated.map((c) => text(c.fields.status)),
        updated.map((c) => text(c.fields.payment_method)),
        updated.map((c) => text(c.fields.paid_at)),
        updated.map((c) => text(c.fields.shipped_at)),
        updated.map((c) => text(c.fields.cancelled_at)),
        updated.map((c) => text(c.fields.cancellation_reason)),
        updated.map((c) => text(c.fields.refunded_at)),
        updated.map((c) => c.firstVersion.toString()),
        updated.map((c) => c.version.toString()),
        updated.map((c) => c.position.toString()),
      ],
    );
    touched.push(...rows);
  }
  if (forgotten.length) {
    // Every order of a customer forgotten now, whatever batch placed it; orders already redacted keep their row.
    const { rows } = await tx.query<{ id: string; customer_id: string }>(
      `UPDATE ${table} t SET shipping_address = ${redactedAddressSql('t.shipping_address', '$2')}, customer_forgotten_at = f.forgotten_at,
              last_position = GREATEST(t.last_position, f.last_position)
         FROM ${forgottenCustomers} f
        WHERE f.customer_id = ANY ($1::uuid[]) AND t.customer_id = f.customer_id AND t.customer_forgotten_at IS NULL
       RETURNING t.id, t.customer_id`,
      [forgotten.map((f) => f.customerId), REDACTED_FIELDS_JSON],
    );
    touched.push(...rows);
  }
  return staleKeys(touched);
}

const staleKeys = (rows: ReadonlyArray<{ id: string; customer_id: string }>): string[] => [
  ...new Set(rows.flatMap((row) => [orderCacheKey(row.id), customerOrdersCacheKey(row.customer_id)])),
];

const updatesOf = (events: readonly ProjectedEvent[]): OrdersUpdate[] => events.map(ordersUpdateFor).filter((u): u is OrdersUpdate => u !== undefined);

/**
 * The orders projection writing into `tables`: the live read model, or shadow tables being rebuilt. One event
 * (`apply`) is a batch of one: the same guarded statements, so the per-event and the bulk path cannot drift apart.
 */
export function ordersProjectionInto(tables: OrdersTables): Projection {
  const project = async (tx: pg.ClientBase, events: readonly ProjectedEvent[]): Promise<string[]> => {
    const updates = updatesOf(events);
    return updates.length ? writeFolded(tx, foldOrdersUpdates(updates), tables) : [];
  };
  // Customer events matter too: a forgotten customer's orders are redacted.
  return {
    name: ORDERS_PROJECTION,
    streamPrefixes: [ORDER_STREAM_PREFIX, CUSTOMER_STREAM_PREFIX],
    apply: (tx, event) => project(tx, [event]),
    applyNewer: project,
  };
}

export const ordersProjection: Projection = ordersProjectionInto({ orders: ORDERS_TABLE, forgottenCustomers: ORDERS_FORGOTTEN_CUSTOMERS_TABLE });
