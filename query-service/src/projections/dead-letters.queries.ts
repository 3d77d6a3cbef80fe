import type pg from 'pg';
import { DEAD_LETTERS_TABLE, type ProjectionName } from '@shop/read-models';

/** One parked event, as the admin's dead-letter list shows it. Positions are strings, as everywhere on the wire. */
export interface DeadLetterView {
  /** The projection that parked it (a partition's letter is shown under its projection: a redrive takes them all). */
  projection: string;
  globalPosition: string;
  streamId: string;
  eventType: string;
  error: string;
  attempts: number;
  failedAt: string;
}

/**
 * Keyset position in the newest-first order (global position, then the checkpoint row's name): `checkpoint` is the
 * stored name (`catalog/1of4` for a partition's letter), so two partitions' letters never tie.
 */
export interface DeadLetterCursor {
  position: string;
  checkpoint: string;
}

interface DeadLetterRow {
  projection: string;
  global_position: string;
  stream_id: string;
  event_type: string;
  error: string;
  attempts: number;
  failed_at: Date;
}

const toView = (row: DeadLetterRow): DeadLetterView => ({
  projection: row.projection.split('/')[0]!,
  globalPosition: row.global_position,
  streamId: row.stream_id,
  eventType: row.event_type,
  error: row.error,
  attempts: row.attempts,
  failedAt: row.failed_at.toISOString(),
});

/** Dead letters, newest event first, of one projection (its partitions' included) or of all; `limit` a page. */
export async function listDeadLetters(
  pool: pg.Pool,
  options: { projection?: ProjectionName; after?: DeadLetterCursor; limit: number },
): Promise<{ items: DeadLetterView[]; next?: DeadLetterCursor }> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (options.projection) {
    values.push(options.projection);
    conditions.push(`(projection = $${values.length} OR projection LIKE $${values.length} || '/%')`);
  }
  if (options.after) {
    values.push(options.after.position, options.after.checkpoint);
    conditions.push(`(global_position, projection) < ($${values.length - 1}::bigint, $${values.length}::text)`);
  }
  values.push(options.limit + 1);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const { rows } = await pool.query<DeadLetterRow>(
    `SELECT projection, global_position::text AS global_position, stream_id, event_type, error, attempts, failed_at
       FROM ${DEAD_LETTERS_TABLE} ${where}
      ORDER BY global_position DESC, projection DESC LIMIT $${values.length}`,
    values,
  );
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  const items = page.map(toView);
  return rows.length > options.limit && last ? { items, next: { position: last.global_position, checkpoint: last.projection } } : { items };
}
