import { ORDER_STREAM_PREFIX } from '@shop/domain';
import type pg from 'pg';
import type { ProjectedEvent } from '@shop/kernel';
import { SALES_FACTS_TABLE, SALES_ORDERS_TABLE, SALES_PROJECTION, type SalesFact } from '@shop/read-models';
import type { Projection } from '../projection.js';
import { loadPlacedOrders, rememberPlacedOrders } from './placed-orders.js';
import { factsOfBatch, ordersToLoad, sortSalesEvents } from './sales-facts.js';

export interface SalesTables {
  facts: string;
  orders: string;
}

/** Facts are immutable and keyed by (event, line): inserting one that exists is a no-op, so replays change nothing. */
async function insertFacts(tx: pg.ClientBase, table: string, facts: readonly SalesFact[]): Promise<void> {
  if (facts.length === 0) return;
  const column = <T>(pick: (fact: SalesFact) => T): T[] => facts.map(pick);
  await tx.query(
    `INSERT INTO ${table} (event_id, line_no, order_id, kind, at, position, currency, product_id, sku, name, sign, order_delta, units, revenue_cents)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::text[], $5::timestamptz[], $6::bigint[], $7::text[], $8::uuid[], $9::text[],
                          $10::text[], $11::smallint[], $12::smallint[], $13::int[], $14::bigint[])
     ON CONFLICT (event_id, line_no) DO NOTHING`,
    [
      column((f) => f.eventId),
      column((f) => f.lineNo),
      column((f) => f.orderId),
      column((f) => f.kind),
      column((f) => f.at),
      column((f) => f.position.toString()),
      column((f) => f.currency),
      column((f) => f.productId),
      column((f) => f.sku),
      column((f) => f.name),
      column((f) => f.sign),
      column((f) => f.orderDelta),
      column((f) => f.units),
      column((f) => f.revenueCents),
    ],
  );
}

/**
 * Applies a batch in three statements: remember the orders it placed, load the lines of the others it pays or
 * refunds, insert the facts. Idempotent whatever the batch (every write is ON CONFLICT DO NOTHING), so the
 * per-event form is the same code with a batch of one.
 */
async function applySales(tx: pg.ClientBase, tables: SalesTables, events: readonly ProjectedEvent[]): Promise<string[]> {
  const batch = sortSalesEvents(events);
  if (batch.placed.length === 0 && batch.movements.length === 0) return [];
  await rememberPlacedOrders(tx, tables.orders, batch.placed);
  const stored = await loadPlacedOrders(tx, tables.orders, ordersToLoad(batch));
  await insertFacts(tx, tables.facts, factsOfBatch(batch, stored));
  // Nothing of the sales read model is cached (analytics reads go straight to the read model).
  return [];
}

/** The sales projection writing into `tables`: the live read model, or shadow tables being rebuilt. */
export function salesProjectionInto(tables: SalesTables): Projection {
  return {
    name: SALES_PROJECTION,
    streamPrefixes: [ORDER_STREAM_PREFIX],
    apply: (tx, event) => applySales(tx, tables, [event]),
    applyNewer: (tx, events) => applySales(tx, tables, events),
  };
}

export const salesProjection: Projection = salesProjectionInto({ facts: SALES_FACTS_TABLE, orders: SALES_ORDERS_TABLE });
