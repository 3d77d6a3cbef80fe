import type pg from 'pg';
import { assertNever, PRODUCT_STREAM_PREFIX, ProductEvent } from '@shop/domain';
import type { RecordedEvent } from '@shop/kernel';
import { CATALOG_PROJECTION, CATALOG_TABLE, productCacheKey } from '@shop/read-models';
import type { Projection } from '../projection.js';

/** The change one product event makes to its catalog row: pure, so it is tested without a database. */
export type CatalogChange =
  | {
      kind: 'create';
      row: { sku: string; name: string; description: string; priceCents: number; currency: string; stockAvailable: number };
    }
  | { kind: 'set'; fields: Partial<{ name: string; description: string; price_cents: number; status: string }> }
  | { kind: 'stock'; delta: number };

export interface CatalogUpdate {
  productId: string;
  version: bigint;
  recordedAt: Date;
  position: bigint;
  change: CatalogChange;
}

export function catalogUpdateFor(event: RecordedEvent): CatalogUpdate | undefined {
  if (!event.streamId.startsWith(PRODUCT_STREAM_PREFIX)) return undefined;
  // Parse, don't trust: an event read back must still match its schema.
  const product = ProductEvent.parse({ type: event.type, data: event.data });
  const update = (change: CatalogChange): CatalogUpdate => ({
    productId: product.data.productId,
    version: event.streamVersion,
    recordedAt: event.recordedAt,
    position: event.globalPosition,
    change,
  });
  switch (product.type) {
    case 'ProductCreated': {
      const { sku, name, description, priceCents, currency, initialStock } = product.data;
      return update({ kind: 'create', row: { sku, name, description, priceCents, currency, stockAvailable: initialStock } });
    }
    case 'ProductRenamed':
      return update({ kind: 'set', fields: { name: product.data.name } });
    case 'ProductRedescribed':
      return update({ kind: 'set', fields: { description: product.data.description } });
    case 'ProductRepriced':
      return update({ kind: 'set', fields: { price_cents: product.data.priceCents } });
    case 'StockReceived':
      return update({ kind: 'stock', delta: product.data.quantity });
    case 'StockAdjusted':
      return update({ kind: 'stock', delta: product.data.delta });
    case 'StockReserved':
      return update({ kind: 'stock', delta: -product.data.quantity });
    case 'StockReleased':
      return update({ kind: 'stock', delta: product.data.quantity });
    case 'ReservationFulfilled':
      // Reserved units leave with their order: available stock already excludes them, only the version moves.
      return update({ kind: 'stock', delta: 0 });
    case 'ProductDiscontinued':
      return update({ kind: 'set', fields: { status: 'discontinued' } });
    default:
      return assertNever(product);
  }
}

/** Each statement is guarded by stream version, so re-applying an old event can never move a row backwards. */
async function write(tx: pg.ClientBase, update: CatalogUpdate, table: string): Promise<void> {
  const { productId, version, recordedAt, position, change } = update;
  const meta = [productId, version.toString(), recordedAt, position.toString()];
  switch (change.kind) {
    case 'create': {
      const { row } = change;
      await tx.query({
        name: `${table}_create`,
        text: `INSERT INTO ${table}
                 (id, version, created_at, updated_at, last_position, sku, name, description, price_cents, currency, stock_available)
               VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10)
               ON CONFLICT (id) DO NOTHING`,
        values: [...meta, row.sku, row.name, row.description, row.priceCents, row.currency, row.stockAvailable],
      });
      return;
    }
    case 'stock':
      await tx.query({
        name: `${table}_stock`,
        text: `UPDATE ${table} SET stock_available = stock_available + $5, version = $2, updated_at = $3, last_position = $4
               WHERE id = $1 AND version < $2`,
        values: [...meta, change.delta],
      });
      return;
    case 'set': {
      const columns = Object.keys(change.fields);
      const assignments = columns.map((column, i) => `${column} = $${i + 5}`).join(', ');
      await tx.query(
        `UPDATE ${table} SET ${assignments}, version = $2, updated_at = $3, last_position = $4 WHERE id = $1 AND version < $2`,
        [...meta, ...Object.values(change.fields)],
      );
      return;
    }
    default:
      assertNever(change);
  }
}

/** The catalog projection writing into `table`: the live read model, or a shadow table being rebuilt. */
export function catalogProjectionInto(table: string): Projection {
  return {
    name: CATALOG_PROJECTION,
    async apply(tx, event) {
      const update = catalogUpdateFor(event);
      if (!update) return [];
      await write(tx, update, table);
      return [productCacheKey(update.productId)];
    },
  };
}

export const catalogProjection: Projection = catalogProjectionInto(CATALOG_TABLE);
