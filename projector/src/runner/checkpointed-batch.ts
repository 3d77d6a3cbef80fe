import type pg from 'pg';
import { inTransaction, type RecordedEvent } from '@shop/kernel';
import { projectionPositionPayload, PROJECTION_POSITION_CHANNEL } from '@shop/read-models';
import type { Projection } from '../projections/projection.js';

export class PositionGap extends Error {
  override readonly name = 'PositionGap';
  constructor(
    readonly checkpoint: bigint,
    readonly next: bigint,
  ) {
    super(`Gap after checkpoint ${checkpoint}: next event is ${next}`);
  }
}

export async function ensureCheckpoint(pool: pg.Pool, projection: string): Promise<bigint> {
  await pool.query('INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0) ON CONFLICT DO NOTHING', [projection]);
  const result = await pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projection = $1', [projection]);
  return BigInt(result.rows[0]!.position);
}

export interface BatchResult {
  position: bigint;
  applied: number;
  staleCacheKeys: string[];
}

/**
 * Applies events to a projection and moves its checkpoint in ONE transaction (effectively-once):
 * events at or below the checkpoint are skipped; the rest must continue it without a hole (positions are
 * dense), else PositionGap is thrown and nothing is written. Locking the checkpoint row makes concurrent
 * runners of the same projection take turns.
 */
export async function applyCheckpointedBatch(pool: pg.Pool, projection: Projection, events: readonly RecordedEvent[]): Promise<BatchResult> {
  return inTransaction(pool, async (tx) => {
    const locked = await tx.query<{ position: string }>({
      name: 'lock_checkpoint',
      text: 'SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE',
      values: [projection.name],
    });
    const checkpoint = BigInt(locked.rows[0]?.position ?? 0);
    let position = checkpoint;
    const staleCacheKeys: string[] = [];
    for (const event of events) {
      if (event.globalPosition <= position) continue;
      if (event.globalPosition !== position + 1n) throw new PositionGap(position, event.globalPosition);
      staleCacheKeys.push(...(await projection.apply(tx, event)));
      position = event.globalPosition;
    }
    if (position > checkpoint) {
      await tx.query({
        name: 'advance_checkpoint',
        text: 'UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE projection = $1',
        values: [projection.name, position.toString()],
      });
      // Delivered only if the transaction commits: readers waiting on a Consistency-Token wake up.
      await tx.query('SELECT pg_notify($1, $2)', [PROJECTION_POSITION_CHANNEL, projectionPositionPayload(projection.name, position)]);
    }
    return { position, applied: Number(position - checkpoint), staleCacheKeys };
  });
}
