import type pg from 'pg';
import { inTransaction, type EventStore, type RecordedEvent } from '@shop/kernel';
import type { RebuildableProjection } from '../projections/index.js';

const BATCH_SIZE = 5_000;
const SAFE_NAME = /^[a-z_][a-z0-9_]*$/;

export interface RebuildResult {
  events: number;
  position: bigint;
  seconds: number;
  /** Whether the rebuilt table had exactly the live table's rows at the same position (digest of every row). */
  identical: boolean;
  liveDigest: string;
  rebuiltDigest: string;
}

/** md5 over every row's text in primary-key order: equal tables, equal digests, whatever their physical order. */
const digestOf = async (tx: pg.ClientBase, table: string): Promise<string> =>
  (await tx.query<{ digest: string | null }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) AS digest FROM ${table} t`)).rows[0]!
    .digest ?? '';

/** Into the shadow every event is newer than what it holds: the projection's bulk form applies when it has one. */
async function applyAll(tx: pg.ClientBase, target: RebuildableProjection, shadow: string, events: readonly RecordedEvent[]): Promise<void> {
  const projection = target.into(shadow);
  if (projection.applyNewer) {
    await projection.applyNewer(tx, events);
    return;
  }
  for (const event of events) await projection.apply(tx, event);
}

/** Index name by definition (its table and own name taken out), to give the rebuilt table the live names back. */
async function indexesByShape(tx: pg.ClientBase, table: string): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ indexname: string; indexdef: string }>('SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1', [table]);
  return new Map(rows.map((row) => [row.indexdef.replace(row.indexname, '').replace(` ON public.${table} `, ' ON '), row.indexname]));
}

/**
 * Rebuilds a projection's table from position 0 into a shadow table, then — holding the live checkpoint, so the
 * live projection waits — brings the shadow to the live position, compares digests of both tables at that same
 * position, and swaps the shadow in (in the same transaction: readers see the old table or the new one, never a
 * mix). A different digest is reported, and the rebuilt table still wins: a rebuild is how a fixed projection
 * replaces what a faulty one wrote.
 */
export async function rebuildProjection(
  pool: pg.Pool,
  store: EventStore,
  target: RebuildableProjection,
  progress: (line: string) => void,
): Promise<RebuildResult> {
  const { table } = target;
  const shadow = `${table}_rebuild`;
  if (!SAFE_NAME.test(table)) throw new TypeError(`Refusing table name ${table}`);
  const started = Date.now();
  const rate = (events: number): string => `${Math.round(events / Math.max((Date.now() - started) / 1000, 0.001))} events/s`;

  await pool.query(`DROP TABLE IF EXISTS ${shadow}`);
  await pool.query(`CREATE TABLE ${shadow} (LIKE ${table} INCLUDING ALL)`);
  let position = 0n;
  let events = 0;
  for (;;) {
    const batch = await store.readAll(position, BATCH_SIZE);
    if (batch.length === 0) break;
    await inTransaction(pool, (tx) => applyAll(tx, target, shadow, batch));
    position = batch.at(-1)!.globalPosition;
    events += batch.length;
    progress(`${target.projection.name}: ${events} events rebuilt (position ${position}, ${rate(events)})`);
  }

  const result = await inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE', [
      target.projection.name,
    ]);
    const live = BigInt(rows[0]?.position ?? 0);
    // Bring the shadow exactly to the live position (events committed since the pass above, up to it).
    for (let from = position; from < live; ) {
      const batch = (await store.readAll(from, BATCH_SIZE)).filter((event) => event.globalPosition <= live);
      if (batch.length === 0) break;
      await applyAll(tx, target, shadow, batch);
      from = batch.at(-1)!.globalPosition;
      events += batch.length;
    }
    if (live < position) {
      throw new Error(`the live projection (at ${live}) is behind the store (at ${position}); let it catch up and run the rebuild again`);
    }
    const [liveDigest, rebuiltDigest] = [await digestOf(tx, table), await digestOf(tx, shadow)];
    const liveIndexes = await indexesByShape(tx, table);
    await tx.query(`DROP TABLE ${table}`);
    await tx.query(`ALTER TABLE ${shadow} RENAME TO ${table}`);
    for (const [shape, name] of await indexesByShape(tx, table)) {
      const liveName = liveIndexes.get(shape);
      if (liveName && liveName !== name) await tx.query(`ALTER INDEX ${name} RENAME TO ${liveName}`);
    }
    return { position: live, liveDigest, rebuiltDigest };
  });
  const seconds = (Date.now() - started) / 1000;
  const identical = result.liveDigest === result.rebuiltDigest;
  progress(
    `${target.projection.name}: ${events} events in ${seconds.toFixed(1)} s (${rate(events)}); at position ${result.position} the rebuilt table is ${
      identical ? 'identical to the live one' : 'DIFFERENT from the live one'
    } (${result.rebuiltDigest} vs ${result.liveDigest}); swapped in`,
  );
  return { events, seconds, identical, ...result };
}
