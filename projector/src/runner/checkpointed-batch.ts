import type pg from 'pg';
import type { RecordedEvent } from '@shop/kernel';
import { projectionPositionPayload, PROJECTION_POSITION_CHANNEL } from '@shop/read-models';
import { SinkUnavailable, type Projection } from '../projections/projection.js';
import { checkpointNameOf, ownsStream, type Partition } from './partition.js';

export class PositionGap extends Error {
  override readonly name = 'PositionGap';
  constructor(
    readonly checkpoint: bigint,
    readonly next: bigint,
  ) {
    super(`Gap after checkpoint ${checkpoint}: next event is ${next}`);
  }
}

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

export interface BatchResult {
  position: bigint;
  applied: number;
  staleCacheKeys: string[];
  /** Events parked in projection_dead_letters by this batch (poison events and their streams' later events). */
  deadLettered: number;
  /** Careful mode stopped before an event that failed but has attempts left: retry later from `position`. */
  stoppedAtFailure: boolean;
}

/**
 * How a batch treats a failing event. Not given: any failure aborts the whole batch (the fast path: no savepoints).
 * Given (the runner's second try after a failure): each event runs under a savepoint; a failing event is retried
 * on later rounds until it has failed `maxAttempts` times, then it is dead-lettered and the batch goes on.
 */
export interface PoisonPolicy {
  maxAttempts: number;
  /** Failures so far per global position (kept by the runner across rounds). */
  failures: Map<bigint, number>;
  onDeadLetter?: (event: RecordedEvent, error: string) => void;
}

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2_000);

async function deadLetter(tx: pg.ClientBase, projection: string, event: RecordedEvent, error: string, attempts: number): Promise<void> {
  await tx.query({
    name: 'dead_letter',
    text: `INSERT INTO projection_dead_letters (projection, global_position, event_id, stream_id, event_type, error, attempts)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    values: [projection, event.globalPosition.toString(), event.eventId, event.streamId, event.type, error, attempts],
  });
}

/**
 * A batch's transaction in as few round trips as the protocol allows: BEGIN travels with the checkpoint's lock (and
 * the streams parked behind dead letters), and COMMIT with the statements that move the checkpoint. Those go as one
 * simple-protocol text each, so their values are literals, quoted by the driver; an error anywhere skips the rest of
 * its text, the COMMIT included, and the transaction is rolled back.
 */
async function inBatchTransaction<T>(
  pool: pg.Pool,
  checkpointName: string,
  work: (tx: pg.PoolClient, locked: { position: bigint; parked: string[] }) => Promise<{ result: T; finish?: string }>,
): Promise<T> {
  const client = await pool.connect();
  try {
    const results = (await client.query(
      `BEGIN; SELECT position, ARRAY(SELECT DISTINCT stream_id FROM projection_dead_letters WHERE projection = ${client.escapeLiteral(checkpointName)}) AS parked
                FROM projection_checkpoints WHERE projection = ${client.escapeLiteral(checkpointName)} FOR UPDATE`,
    )) as unknown as Array<pg.QueryResult<{ position: string; parked: string[] }>>;
    const row = results[1]?.rows[0];
    const { result, finish } = await work(client, { position: BigInt(row?.position ?? 0), parked: row?.parked ?? [] });
    await client.query(finish ? `${finish}; COMMIT` : 'COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Applies events to a projection and moves its checkpoint in ONE transaction (effectively-once):
 * events at or below the checkpoint are skipped; the rest must continue it without a hole (positions are
 * dense), else PositionGap is thrown and nothing is written. Locking the checkpoint row makes concurrent
 * runners of the same projection take turns.
 *
 * With a partition, only the events of its streams are applied (the others just move its checkpoint on), its
 * checkpoint and dead letters are its own (`catalog/1of4`), and the projection's row then holds the lowest
 * position of all its partitions: that is the position readers wait on, announced on commit.
 */
export async function applyCheckpointedBatch(
  pool: pg.Pool,
  projection: Projection,
  batch: readonly RecordedEvent[],
  poison?: PoisonPolicy,
  partition?: Partition,
  /**
   * The runner vouches that no event after `from` up to `through` concerns this projection (it checked their streams
   * and skipped their transaction): if the checkpoint is still at `from`, it counts as being at `through`. If it is
   * anywhere else, someone else moved it and the voucher is ignored.
   */
  vouched?: { from: bigint; through: bigint },
): Promise<BatchResult> {
  const name = checkpointNameOf(projection.name, partition);
  const partitioned = name !== projection.name;
  let events = batch;
  return inBatchTransaction(pool, name, async (tx, locked) => {
    const checkpoint = locked.position;
    let position = vouched && checkpoint === vouched.from && vouched.through > checkpoint ? vouched.through : checkpoint;
    let applied = 0;
    let deadLettered = 0;
    let stoppedAtFailure = false;
    const staleCacheKeys: string[] = [];
    const parked = new Set(locked.parked);
    if (!poison && projection.applyNewer) {
      // The fast path: every event past the checkpoint is newer than the read model, so the projection's bulk
      // form applies them in a few set-based statements.
      const fresh: RecordedEvent[] = [];
      for (const event of events) {
        if (event.globalPosition <= position) continue;
        if (event.globalPosition !== position + 1n) throw new PositionGap(position, event.globalPosition);
        position = event.globalPosition;
        if (!ownsStream(partition, event.streamId)) continue;
        if (parked.has(event.streamId)) {
          await deadLetter(tx, name, event, 'parked: an earlier event of this stream is dead-lettered', 0);
          deadLettered += 1;
        } else fresh.push(event);
      }
      staleCacheKeys.push(...(await projection.applyNewer(tx, fresh)));
      applied = fresh.length;
      events = [];
    }
    for (const event of events) {
      if (event.globalPosition <= position) continue;
      if (event.globalPosition !== position + 1n) throw new PositionGap(position, event.globalPosition);
      if (!ownsStream(partition, event.streamId)) {
        // Another partition's stream: nothing to apply here, only the checkpoint moves past it.
      } else if (parked.has(event.streamId)) {
        // A stream waits behind its dead letter: its later events must not overtake it.
        await deadLetter(tx, name, event, 'parked: an earlier event of this stream is dead-lettered', 0);
        deadLettered += 1;
      } else if (!poison) {
        staleCacheKeys.push(...(await projection.apply(tx, event)));
        applied += 1;
      } else {
        await tx.query('SAVEPOINT projection_event');
        try {
          staleCacheKeys.push(...(await projection.apply(tx, event)));
          await tx.query('RELEASE SAVEPOINT projection_event');
          applied += 1;
        } catch (error) {
          await tx.query('ROLLBACK TO SAVEPOINT projection_event');
          // Not the event's fault: abort the whole batch (nothing commits) and count nothing against the event.
          if (error instanceof SinkUnavailable) throw error;
          const attempts = (poison.failures.get(event.globalPosition) ?? 0) + 1;
          poison.failures.set(event.globalPosition, attempts);
          if (attempts < poison.maxAttempts) {
            stoppedAtFailure = true;
            break;
          }
          await deadLetter(tx, name, event, errorText(error), attempts);
          poison.failures.delete(event.globalPosition);
          poison.onDeadLetter?.(event, errorText(error));
          parked.add(event.streamId);
          deadLettered += 1;
        }
      }
      position = event.globalPosition;
    }
    const result = { position, applied, staleCacheKeys, deadLettered, stoppedAtFailure };
    if (position <= checkpoint) return { result };
    const lit = (text: string): string => tx.escapeLiteral(text);
    const channel = lit(PROJECTION_POSITION_CHANNEL);
    if (!partitioned) {
      // The checkpoint moves, and readers waiting on a Consistency-Token are told (delivered only if this commits).
      return {
        result,
        finish: `UPDATE projection_checkpoints SET position = ${position}, updated_at = now() WHERE projection = ${lit(name)};
                 SELECT pg_notify(${channel}, ${lit(projectionPositionPayload(projection.name, position))})`,
      };
    }
    // Partitioned, what readers may rely on is the lowest of the partitions' positions, kept in the projection's own
    // row. That row is locked first and the lowest read by the next statement, whose snapshot is taken after the lock
    // is granted: two partitions committing at once take turns here, and the later one sees the earlier one's
    // position (else both could write a lowest that is already too low, and leave it there while idle). GREATEST
    // keeps the row from ever moving back.
    return {
      result,
      finish: `UPDATE projection_checkpoints SET position = ${position}, updated_at = now() WHERE projection = ${lit(name)};
               SELECT 1 FROM projection_checkpoints WHERE projection = ${lit(projection.name)} FOR UPDATE;
               UPDATE projection_checkpoints
                  SET position = GREATEST(position, (SELECT min(p.position) FROM projection_checkpoints p
                                                      WHERE p.projection LIKE ${lit(`${projection.name}/%of${partition!.count}`)})),
                      updated_at = now()
                WHERE projection = ${lit(projection.name)};
               SELECT pg_notify(${channel}, ${lit(`${projection.name}:`)} || position) FROM projection_checkpoints WHERE projection = ${lit(projection.name)}`,
    };

  });
}
