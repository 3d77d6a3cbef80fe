import type pg from 'pg';
import { withTransactionClient, type ProjectedEvent } from '@shop/kernel';
import { projectionPositionPayload, PROJECTION_POSITION_CHANNEL } from '@shop/read-models';
import { checkpointNameOf, type Partition } from './partition.js';

/**
 * The checkpoint store: a projection's row in `projection_checkpoints` (how far its read model is) and its rows in
 * `projection_dead_letters` (events it parked), for the runner and the redrive. (A rebuild locks the checkpoint rows
 * itself, in rebuild.ts, to swap tables under them.)
 *
 * A checkpoint moves only inside `inCheckpointTransaction`, which locks the row for the whole transaction: the
 * batch that runs in it compares its events with the locked position, and the move commits together with the
 * read-model rows the batch wrote. Concurrent runners of one projection therefore take turns, and whatever one of
 * them applied is never applied again by the other.
 */

/**
 * The checkpoint to start from. Partitioned, every partition's row must exist before any runs (the read model's
 * position is the lowest of them): a new one starts where the projection as a whole stood (everything up to that
 * is applied), so turning partitions on never replays what is done.
 */
export async function ensureCheckpoint(pool: pg.Pool, projection: string, partition?: Partition): Promise<bigint> {
  await pool.query('INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0) ON CONFLICT DO NOTHING', [projection]);
  if (partition && partition.count > 1) {
    await pool.query(
      `INSERT INTO projection_checkpoints (projection, position)
       SELECT $1 || '/' || i || 'of' || $2, (SELECT position FROM projection_checkpoints WHERE projection = $1)
         FROM generate_series(0, $2::int - 1) i
       ON CONFLICT DO NOTHING`,
      [projection, partition.count],
    );
  }
  const result = await pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projection = $1', [
    checkpointNameOf(projection, partition),
  ]);
  return BigInt(result.rows[0]!.position);
}

/** The checkpoint as locked at the start of a transaction, with the streams parked behind its dead letters. */
export interface LockedCheckpoint {
  position: bigint;
  parked: string[];
}

/** Which checkpoint a transaction holds: a projection's, or one partition's of it. */
export interface CheckpointOf {
  projection: string;
  partition?: Partition | undefined;
}

/**
 * A transaction holding the checkpoint row, in as few round trips as the protocol allows: BEGIN travels with the
 * row's lock (and the parked streams), and COMMIT with the statements that move the checkpoint to the position
 * `work` answers (`moveTo`; none: the checkpoint stays). Those go as one simple-protocol text, so their values are
 * literals, quoted by the driver; an error anywhere skips the rest of the text, the COMMIT included, and the
 * transaction is rolled back.
 */
export async function inCheckpointTransaction<T>(
  pool: pg.Pool,
  checkpoint: CheckpointOf,
  work: (tx: pg.PoolClient, locked: LockedCheckpoint) => Promise<{ result: T; moveTo?: bigint }>,
): Promise<T> {
  const name = checkpointNameOf(checkpoint.projection, checkpoint.partition);
  return withTransactionClient(pool, async (client) => {
    const results = (await client.query(
      `BEGIN; SELECT position, ARRAY(SELECT DISTINCT stream_id FROM projection_dead_letters WHERE projection = ${client.escapeLiteral(name)}) AS parked
                FROM projection_checkpoints WHERE projection = ${client.escapeLiteral(name)} FOR UPDATE`,
    )) as unknown as Array<pg.QueryResult<{ position: string; parked: string[] }>>;
    const row = results[1]?.rows[0];
    const { result, moveTo } = await work(client, { position: BigInt(row?.position ?? 0), parked: row?.parked ?? [] });
    await client.query(moveTo === undefined ? 'COMMIT' : `${checkpointMove(client, checkpoint, moveTo)}; COMMIT`);
    return result;
  });
}

/**
 * The statements that move a checkpoint to `position` and tell readers waiting on a Consistency-Token (a NOTIFY is
 * delivered only if its transaction commits).
 */
function checkpointMove(tx: pg.ClientBase, { projection, partition }: CheckpointOf, position: bigint): string {
  const lit = (text: string): string => tx.escapeLiteral(text);
  const channel = lit(PROJECTION_POSITION_CHANNEL);
  const name = checkpointNameOf(projection, partition);
  if (name === projection) {
    return `UPDATE projection_checkpoints SET position = ${position}, updated_at = now() WHERE projection = ${lit(name)};
            SELECT pg_notify(${channel}, ${lit(projectionPositionPayload(projection, position))})`;
  }
  // Partitioned, what readers may rely on is the lowest of the partitions' positions, kept in the projection's own
  // row. That row is locked first and the lowest read by the next statement, whose snapshot is taken after the lock
  // is granted: two partitions committing at once take turns here, and the later one sees the earlier one's
  // position (else both could write a lowest that is already too low, and leave it there while idle). GREATEST
  // keeps the row from ever moving back.
  return `UPDATE projection_checkpoints SET position = ${position}, updated_at = now() WHERE projection = ${lit(name)};
          SELECT 1 FROM projection_checkpoints WHERE projection = ${lit(projection)} FOR UPDATE;
          UPDATE projection_checkpoints
             SET position = GREATEST(position, (SELECT min(p.position) FROM projection_checkpoints p
                                                 WHERE p.projection LIKE ${lit(`${projection}/%of${partition!.count}`)})),
                 updated_at = now()
           WHERE projection = ${lit(projection)};
          SELECT pg_notify(${channel}, ${lit(`${projection}:`)} || position) FROM projection_checkpoints WHERE projection = ${lit(projection)}`;
}

/** Parks an event in the checkpoint's dead letters (inside its transaction); parking it twice changes nothing. */
export async function deadLetter(tx: pg.ClientBase, checkpoint: CheckpointOf, event: ProjectedEvent, error: string, attempts: number): Promise<void> {
  await tx.query({
    name: 'dead_letter',
    text: `INSERT INTO projection_dead_letters (projection, global_position, event_id, stream_id, event_type, error, attempts)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    values: [checkpointNameOf(checkpoint.projection, checkpoint.partition), event.globalPosition.toString(), event.eventId, event.streamId, event.type, error, attempts],
  });
}

/** A projection's dead letters, every partition's included (`catalog/1of4`), oldest first: the order to redrive them in. */
export async function deadLettersOf(pool: pg.Pool, projection: string): Promise<Array<{ checkpoint: string; position: bigint }>> {
  const { rows } = await pool.query<{ projection: string; global_position: string }>(
    `SELECT projection, global_position FROM projection_dead_letters WHERE projection = $1 OR projection LIKE $1 || '/%' ORDER BY global_position`,
    [projection],
  );
  return rows.map((row) => ({ checkpoint: row.projection, position: BigInt(row.global_position) }));
}

/**
 * Takes a letter out to redrive it (inside the transaction that applies it again) and answers the projection's
 * checkpoint; undefined when the letter is gone. The DELETE locks the row first, so a second redrive of the same
 * projection running at once (the CLI beside a projector) waits here and then finds it gone, rather than applying
 * the event a second time.
 */
export async function takeDeadLetter(tx: pg.ClientBase, letter: { checkpoint: string; position: bigint }, projection: string): Promise<bigint | undefined> {
  const removed = await tx.query('DELETE FROM projection_dead_letters WHERE projection = $1 AND global_position = $2', [letter.checkpoint, letter.position.toString()]);
  if (removed.rowCount === 0) return undefined;
  const current = await tx.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projection = $1', [projection]);
  return BigInt(current.rows[0]?.position ?? 0);
}
