import type pg from 'pg';
import { inTransaction, type EventStore, type ProjectedEvent } from '@shop/kernel';
import type { RebuildableProjection } from '../projections/index.js';
import { checkpointNameOf, partitionOf } from './partition.js';

const BATCH_SIZE = 5_000;
const SAFE_NAME = /^[a-z_][a-z0-9_]*$/;
const shadowOf = (table: string): string => `${table}_rebuild`;

export interface RebuildResult {
  events: number;
  position: bigint;
  seconds: number;
  /** Whether the rebuilt tables had exactly the live tables' rows at the same position (digest of every row of each). */
  identical: boolean;
  liveDigest: string;
  rebuiltDigest: string;
}

/** The primary-key columns of `table`, in key order: the order a digest reads rows in. */
async function primaryKeyOf(tx: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await tx.query<{ column: string }>(
    `SELECT a.attname AS column FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [table],
  );
  if (rows.length === 0) throw new TypeError(`Table ${table} has no primary key to digest it in`);
  return rows.map((row) => row.column);
}

/** md5 over every row's text in primary-key order: equal tables, equal digests, whatever their physical order. */
const digestOf = async (tx: pg.ClientBase, table: string, key: readonly string[]): Promise<string> =>
  (
    await tx.query<{ digest: string | null }>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${key.map((column) => `t.${column}`).join(', ')}), '')) AS digest FROM ${table} t`,
    )
  ).rows[0]!.digest ?? '';

/** One digest for a read model of several tables: each table's, named, in the order the projection lists them. */
async function digestOfAll(tx: pg.ClientBase, tables: readonly string[], keys: ReadonlyMap<string, string[]>, tableFor: (table: string) => string): Promise<string> {
  const digests: string[] = [];
  for (const table of tables) digests.push(`${table}:${await digestOf(tx, tableFor(table), keys.get(table)!)}`);
  return digests.join(' ');
}

/** Into the shadow every event is newer than what it holds: the projection's bulk form applies when it has one. */
async function applyAll(tx: pg.ClientBase, target: RebuildableProjection, events: readonly ProjectedEvent[]): Promise<void> {
  const projection = target.into(shadowOf);
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
 * Rebuilds a projection's tables from position 0 into shadow tables, then — holding the live checkpoint, so the
 * live projection waits — brings the shadows to the live position, compares digests of every table at that same
 * position, and swaps all the shadows in (in the same transaction: readers see the old read model or the new one,
 * never a mix, also across tables). A different digest is reported, and the rebuilt tables still win: a rebuild
 * is how a fixed projection replaces what a faulty one wrote.
 */
export async function rebuildProjection(
  pool: pg.Pool,
  store: EventStore,
  target: RebuildableProjection,
  progress: (line: string) => void,
  /** How many partitions the live projection runs as (`PROJECTION_PARTITIONS`). */
  partitions = 1,
): Promise<RebuildResult> {
  const { tables } = target;
  for (const table of tables) if (!SAFE_NAME.test(table)) throw new TypeError(`Refusing table name ${table}`);
  const started = Date.now();
  const rate = (events: number): string => `${Math.round(events / Math.max((Date.now() - started) / 1000, 0.001))} events/s`;

  for (const table of tables) {
    await pool.query(`DROP TABLE IF EXISTS ${shadowOf(table)}`);
    await pool.query(`CREATE TABLE ${shadowOf(table)} (LIKE ${table} INCLUDING ALL)`);
  }
  let position = 0n;
  let events = 0;
  for (;;) {
    const batch = await store.readAll(position, BATCH_SIZE);
    if (batch.length === 0) break;
    await inTransaction(pool, (tx) => applyAll(tx, target, batch));
    position = batch.at(-1)!.globalPosition;
    events += batch.length;
    progress(`${target.projection.name}: ${events} events rebuilt (position ${position}, ${rate(events)})`);
  }

  const result = await inTransaction(pool, async (tx) => {
    // The live projection's checkpoint (or, partitioned, every partition's: each of its streams is as far as its
    // partition), locked so the live runners wait; partitions' rows first, as they take them, so nobody deadlocks.
    const name = target.projection.name;
    const { rows } = await tx.query<{ projection: string; position: string }>(
      `SELECT projection, position FROM projection_checkpoints WHERE projection = $1 OR projection LIKE $1 || '/%of' || $2
        ORDER BY projection = $1, projection FOR UPDATE`,
      [name, String(partitions)],
    );
    const positionOf = new Map(rows.map((row) => [row.projection, BigInt(row.position)]));
    const liveFor = (streamId: string): bigint =>
      positionOf.get(checkpointNameOf(name, partitions > 1 ? { index: partitionOf(streamId, partitions), count: partitions } : undefined)) ?? 0n;
    const lowest = partitions > 1 ? [...positionOf].filter(([row]) => row !== name).reduce((min, [, p]) => (p < min ? p : min), position) : (positionOf.get(name) ?? 0n);
    const live = [...positionOf.values()].reduce((max, p) => (p > max ? p : max), 0n);
    // Bring the shadows exactly to the live state (events committed since the pass above, each up to its partition).
    for (let from = position; from < live; ) {
      const read = await store.readAll(from, BATCH_SIZE);
      const batch = read.filter((event) => event.globalPosition <= liveFor(event.streamId));
      if (read.length === 0) break;
      if (batch.length) await applyAll(tx, target, batch);
      from = read.at(-1)!.globalPosition;
      events += batch.length;
    }
    if (lowest < position) {
      throw new Error(`the live projection (at ${live}) is behind the store (at ${position}); let it catch up and run the rebuild again`);
    }
    const keys = new Map<string, string[]>();
    for (const table of tables) keys.set(table, await primaryKeyOf(tx, table));
    const liveDigest = await digestOfAll(tx, tables, keys, (table) => table);
    const rebuiltDigest = await digestOfAll(tx, tables, keys, shadowOf);
    for (const table of tables) {
      const liveIndexes = await indexesByShape(tx, table);
      await tx.query(`DROP TABLE ${table}`);
      await tx.query(`ALTER TABLE ${shadowOf(table)} RENAME TO ${table}`);
      for (const [shape, name] of await indexesByShape(tx, table)) {
        const liveName = liveIndexes.get(shape);
        if (liveName && liveName !== name) await tx.query(`ALTER INDEX ${name} RENAME TO ${liveName}`);
      }
    }
    return { position: live, liveDigest, rebuiltDigest };
  });
  const seconds = (Date.now() - started) / 1000;
  const identical = result.liveDigest === result.rebuiltDigest;
  progress(
    `${target.projection.name}: ${events} events in ${seconds.toFixed(1)} s (${rate(events)}); at position ${result.position} the rebuilt tables are ${
      identical ? 'identical to the live ones' : 'DIFFERENT from the live ones'
    } (${result.rebuiltDigest} vs ${result.liveDigest}); swapped in`,
  );
  return { events, seconds, identical, ...result };
}
