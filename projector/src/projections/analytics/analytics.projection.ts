import { ORDER_STREAM_PREFIX } from '@shop/domain';
import type pg from 'pg';
import type { ProjectedEvent } from '@shop/kernel';
import { ANALYTICS_ORDERS_TABLE, ANALYTICS_PROJECTION } from '@shop/read-models';
import type { Projection } from '../projection.js';
import { loadPlacedOrders, rememberPlacedOrders } from '../sales/placed-orders.js';
import { factsOfBatch, ordersToLoad, sortSalesEvents } from '../sales/sales-facts.js';
import type { SalesIndexWriter } from './sales-index-writer.js';

/**
 * The analytics projection: the same sales facts as the SQL `sales` projection (same pure code), written to
 * Elasticsearch. It runs in the ordinary runner: the bulk happens INSIDE the runner's Postgres transaction, which
 * then remembers the batch's placed orders and commits the checkpoint. If the bulk fails, nothing commits and the
 * batch is retried; if the bulk succeeded but the commit failed, the replay re-sends the same documents at the
 * same external versions and Elasticsearch answers 409: a no-op. So Elasticsearch holds every fact exactly once.
 */
export function analyticsProjection(writer: SalesIndexWriter, ordersTable: string = ANALYTICS_ORDERS_TABLE): Projection {
  const apply = async (tx: pg.ClientBase, events: readonly ProjectedEvent[]): Promise<string[]> => {
    const batch = sortSalesEvents(events);
    if (batch.placed.length === 0 && batch.movements.length === 0) return [];
    await rememberPlacedOrders(tx, ordersTable, batch.placed);
    const stored = await loadPlacedOrders(tx, ordersTable, ordersToLoad(batch));
    await writer.indexFacts(factsOfBatch(batch, stored));
    return [];
  };
  return {
    name: ANALYTICS_PROJECTION,
    streamPrefixes: [ORDER_STREAM_PREFIX],
    apply: (tx, event) => apply(tx, [event]),
    applyNewer: apply,
  };
}
