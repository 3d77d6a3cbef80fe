import type pg from 'pg';
import { assertNever, PRODUCT_STREAM_PREFIX, ProductEvent } from '@shop/domain';
import type { RecordedEvent } from '@shop/kernel';
import { CATALOG_PROJECTION, CATALOG_TABLE, productCacheKey } from '@shop/read-models';
import type { Projection } from '../projection.js';

/** The row change one event makes to the catalog: pure, so it is tested without a database. */
export type CatalogChange = {
  kind: 'upsert';
  row: {
    id: string;
    sku: string;
    name: string;
    description: string;
    priceCents: number;
    currency: string;
    stockAvailable: number;
    version: bigint;
    recordedAt: Date;
    position: bigint;
  };
};

export function catalogChangeFor(event: RecordedEvent): CatalogChange | undefined {
  if (!event.streamId.startsWith(PRODUCT_STREAM_PREFIX)) return undefined;
  // Parse, don't trust: an event read back must still match its schema.
  const product = ProductEvent.parse({ type: event.type, data: event.data });
  switch (product.type) {
    case 'ProductCreated':
      return {
        kind: 'upsert',
        row: {
          id: product.data.productId,
          sku: product.data.sku,
          name: product.data.name,
          description: product.data.description,
          priceCents: product.data.priceCents,
          currency: product.data.currency,
          stockAvailable: product.data.initialStock,
          version: event.streamVersion,
          recordedAt: event.recordedAt,
          position: event.globalPosition,
        },
      };
    default:
      return assertNever(product.type);
  }
}

export const catalogProjection: Projection = {
  name: CATALOG_PROJECTION,
  async apply(tx, event) {
    const change = catalogChangeFor(event);
    if (!change) return [];
    const { row } = change;
    // Guarded by version so that re-applying an old event can never move a row backwards.
    await tx.query({
      name: 'catalog_upsert',
      text: `INSERT INTO ${CATALOG_TABLE}
               (id, sku, name, description, price_cents, currency, stock_available, version, created_at, updated_at, last_position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)
             ON CONFLICT (id) DO UPDATE SET sku = EXCLUDED.sku, name = EXCLUDED.name, description = EXCLUDED.description,
               price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency, stock_available = EXCLUDED.stock_available,
               version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, last_position = EXCLUDED.last_position
             WHERE ${CATALOG_TABLE}.version < EXCLUDED.version`,
      values: [row.id, row.sku, row.name, row.description, row.priceCents, row.currency, row.stockAvailable,
        row.version.toString(), row.recordedAt, row.position.toString()],
    });
    return [productCacheKey(row.id)];
  },
};

// pg's ClientBase is what both PoolClient and Client implement; re-exported for writers' signatures.
export type { pg };
