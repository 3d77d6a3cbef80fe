import type pg from 'pg';
import { assertNever, PRODUCT_STREAM_PREFIX, ProductEvent } from '@shop/domain';
import type { ProjectedEvent } from '@shop/kernel';
import { CATALOG_PROJECTION, CATALOG_TABLE, productCacheKey } from '@shop/read-models';
import type { Projection } from '../projection.js';

/** The change one product event makes to its catalog row: pure, so it is tested without a database. */
export type CatalogChange =
  | {
      kind: 'create';
      row: { sku: string; name: string; description: string; priceCents: number; currency: string; stockAvailable: number; imageUrl: string | null };
    }
  // `image_url: null` is a value (the image was removed), not an absent field.
  | { kind: 'set'; fields: Partial<{ name: string; description: string; price_cents: number; status: string; image_url: string | null }> }
  | { kind: 'stock'; delta: number };

export interface CatalogUpdate {
  productId: string;
  version: bigint;
  recordedAt: Date;
  position: bigint;
  change: CatalogChange;
}

export function catalogUpdateFor(event: ProjectedEvent): CatalogUpdate | undefined {
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
      const { sku, name, description, priceCents, currency, initialStock, imageUrl } = product.data;
      return update({ kind: 'create', row: { sku, name, description, priceCents, currency, stockAvailable: initialStock, imageUrl: imageUrl ?? null } });
    }
    case 'ProductRenamed':
      return update({ kind: 'set', fields: { name: product.data.name } });
    case 'ProductRedescribed':
      return update({ kind: 'set', fields: { description: product.data.description } });
    case 'ProductRepriced':
      return update({ kind: 'set', fields: { price_cents: product.data.priceCents } });
    case 'ProductImageChanged':
      return update({ kind: 'set', fields: { image_url: product.data.imageUrl } });
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
                 (id, version, created_at, updated_at, last_position, sku, name, description, price_cents, currency, stock_available, image_url)
               VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11)
               ON CONFLICT (id) DO NOTHING`,
        values: [...meta, row.sku, row.name, row.description, row.priceCents, row.currency, row.stockAvailable, row.imageUrl],
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

/** One product's updates of a batch folded into one row change: pure, so it is tested without a database. */
export interface FoldedCatalogChange {
  productId: string;
  created?: Extract<CatalogChange, { kind: 'create' }>['row'] & { createdAt: Date };
  stockDelta: number;
  fields: Extract<CatalogChange, { kind: 'set' }>['fields'];
  firstVersion: bigint;
  version: bigint;
  updatedAt: Date;
  position: bigint;
}

export function foldCatalogUpdates(updates: readonly CatalogUpdate[]): FoldedCatalogChange[] {
  const folded = new Map<string, FoldedCatalogChange>();
  for (const update of updates) {
    const current = folded.get(update.productId) ?? {
      productId: update.productId,
      stockDelta: 0,
      fields: {},
      firstVersion: update.version,
      version: update.version,
      updatedAt: update.recordedAt,
      position: update.position,
    };
    const { change } = update;
    switch (change.kind) {
      case 'create':
        current.created = { ...change.row, createdAt: update.recordedAt };
        break;
      case 'stock':
        current.stockDelta += change.delta;
        break;
      case 'set':
        current.fields = { ...current.fields, ...change.fields };
        break;
      default:
        assertNever(change);
    }
    folded.set(update.productId, { ...current, version: update.version, updatedAt: update.recordedAt, position: update.position });
  }
  return [...folded.values()];
}

/** Rows created in the batch are inserted whole; rows that existed get one UPDATE each, all in one statement. */
async function writeFolded(tx: pg.ClientBase, changes: readonly FoldedCatalogChange[], table: string): Promise<void> {
  const created = changes.filter((c) => c.created);
  const updated = changes.filter((c) => !c.created);
  if (created.length) {
    const column = <T>(pick: (c: FoldedCatalogChange & { created: NonNullable<FoldedCatalogChange['created']> }) => T): T[] =>
      created.map((c) => pick(c as FoldedCatalogChange & { created: NonNullable<FoldedCatalogChange['created']> }));
    await tx.query(
      `INSERT INTO ${table} (id, version, created_at, updated_at, last_position, sku, name, description, price_cents, currency, stock_available, status, image_url)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], $6::text[], $7::text[], $8::text[],
                            $9::bigint[], $10::text[], $11::int[], $12::text[], $13::text[])
       ON CONFLICT (id) DO NOTHING`,
      [
        column((c) => c.productId),
        column((c) => c.version.toString()),
        column((c) => c.created.createdAt),
        column((c) => c.updatedAt),
        column((c) => c.position.toString()),
        column((c) => c.created.sku),
        column((c) => c.fields.name ?? c.created.name),
        column((c) => c.fields.description ?? c.created.description),
        column((c) => c.fields.price_cents ?? c.created.priceCents),
        column((c) => c.created.currency),
        column((c) => c.created.stockAvailable + c.stockDelta),
        column((c) => c.fields.status ?? 'active'),
        column((c) => ('image_url' in c.fields ? c.fields.image_url : c.created.imageUrl) ?? null),
      ],
    );
  }
  if (updated.length) {
    await tx.query(
      `UPDATE ${table} t SET stock_available = t.stock_available + u.delta, name = coalesce(u.name, t.name),
              description = coalesce(u.description, t.description), price_cents = coalesce(u.price_cents, t.price_cents),
              status = coalesce(u.status, t.status), version = u.version, updated_at = u.updated_at, last_position = u.position,
              -- A removed image is a null that must land, so whether the batch set it travels beside the value.
              image_url = CASE WHEN u.image_url_set THEN u.image_url ELSE t.image_url END
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::bigint[], $9::timestamptz[], $10::bigint[],
                     $11::boolean[], $12::text[])
              AS u(id, delta, name, description, price_cents, status, first_version, version, updated_at, position, image_url_set, image_url)
        WHERE t.id = u.id AND t.version < u.first_version`,
      [
        updated.map((c) => c.productId),
        updated.map((c) => c.stockDelta),
        updated.map((c) => c.fields.name ?? null),
        updated.map((c) => c.fields.description ?? null),
        updated.map((c) => c.fields.price_cents ?? null),
        updated.map((c) => c.fields.status ?? null),
        updated.map((c) => c.firstVersion.toString()),
        updated.map((c) => c.version.toString()),
        updated.map((c) => c.updatedAt),
        updated.map((c) => c.position.toString()),
        updated.map((c) => 'image_url' in c.fields),
        updated.map((c) => c.fields.image_url ?? null),
      ],
    );
  }
}

/** The catalog projection writing into `table`: the live read model, or a shadow table being rebuilt. */
export function catalogProjectionInto(table: string): Projection {
  return {
    name: CATALOG_PROJECTION,
    streamPrefixes: [PRODUCT_STREAM_PREFIX],
    async apply(tx, event) {
      const update = catalogUpdateFor(event);
      if (!update) return [];
      await write(tx, update, table);
      return [productCacheKey(update.productId)];
    },
    async applyNewer(tx, events) {
      const changes = foldCatalogUpdates(events.map(catalogUpdateFor).filter((u): u is CatalogUpdate => u !== undefined));
      await writeFolded(tx, changes, table);
      return changes.map((change) => productCacheKey(change.productId));
    },
  };
}

export const catalogProjection: Projection = catalogProjectionInto(CATALOG_TABLE);
