import type pg from 'pg';
import type { ProjectedEvent } from '@shop/kernel';
import { SinkUnavailable, type Projection } from '../projections/projection.js';
import { deadLetter, inCheckpointTransaction, type CheckpointOf } from './checkpoint-store.js';
import { ownsStream, type Partition } from './partition.js';

/** The batch does not continue the checkpoint (someone else moved it, or an event is missing): nothing was written. */
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
 * How a batch treats a failing event. Not given: any failure aborts the whole batch (the fast path: no savepoints).
 * Given (the runner's second try after a failure): each event runs under a savepoint; a failing event is retried
 * on later rounds until it has failed `maxAttempts` times, then it is dead-lettered and the batch goes on.
 */
export interface PoisonPolicy {
  maxAttempts: number;
  /** Failures so far per global position (kept by the runner across rounds). */
  failures: Map<bigint, number>;
  onDeadLetter?: (event: ProjectedEvent, error: string) => void;
}

export interface CheckpointedBatch {
  pool: pg.Pool;
  projection: Projection;
  /** In global order; events at or below the checkpoint are skipped, the rest must continue it without a hole. */
  events: readonly ProjectedEvent[];
  /** Absent: the fast path, all or nothing. Given: event by event, poison events dead-lettered (see PoisonPolicy). */
  poison?: PoisonPolicy | undefined;
  /** Absent: the whole projection. Given: only the partition's streams are applied, under its own checkpoint. */
  partition?: Partition | undefined;
  /**
   * The runner vouches that no event after `from` up to `through` concerns this projection (it checked their streams
   * and skipped their transaction): if the checkpoint is still at `from`, it counts as being at `through`. If it is
   * anywhere else, someone else moved it and the voucher is ignored.
   */
  vouched?: { from: bigint; through: bigint } | undefined;
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

const PARKED = 'parked: an earlier event of this stream is dead-lettered';

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2_000);

/**
 * Applies events to a projection and moves its checkpoint in ONE transaction (effectively-once): events at or
 * below the checkpoint are skipped; the rest must continue it without a hole (positions are dense), else
 * PositionGap is thrown and nothing is written.
 *
 * With a partition, only the events of its streams are applied (the others just move its checkpoint on), its
 * checkpoint and dead letters are its own (`catalog/1of4`), and the projection's row then holds the lowest
 * position of all its partitions: that is the position readers wait on, announced on commit (checkpoint-store.ts).
 */
export async function applyCheckpointedBatch({ pool, projection, events, poison, partition, vouched }: CheckpointedBatch): Promise<BatchResult> {
  const checkpointOf: CheckpointOf = { projection: projection.name, partition };
  return inCheckpointTransaction(pool, checkpointOf, async (tx, locked) => {
    const checkpoint = locked.position;
    let position = vouched && checkpoint === vouched.from && vouched.through > checkpoint ? vouched.through : checkpoint;
    const result: BatchResult = { position, applied: 0, staleCacheKeys: [], deadLettered: 0, stoppedAtFailure: false };
    const parked = new Set(locked.parked);
    /** What to do with the next event: it must continue the batch; then it is ours to apply, or another partition's, or parked. */
    const verdictOn = (event: ProjectedEvent): 'apply' | 'pass' | 'park' => {
      if (event.globalPosition !== position + 1n) throw new PositionGap(position, event.globalPosition);
      // Another partition's stream: nothing to apply here, only the checkpoint moves past it.
      if (!ownsStream(partition, event.streamId)) return 'pass';
      // A stream waits behind its dead letter: its later events must not overtake it.
      return parked.has(event.streamId) ? 'park' : 'apply';
    };
    const park = async (event: ProjectedEvent): Promise<void> => {
      await deadLetter(tx, checkpointOf, event, PARKED, 0);
      result.deadLettered += 1;
    };

    /** One event under a savepoint: a failure is counted against the event, and dead-letters it once too many. */
    const applyGuarded = async (event: ProjectedEvent, policy: PoisonPolicy): Promise<'applied' | 'dead-lettered' | 'retry later'> => {
      await tx.query('SAVEPOINT projection_event');
      try {
        const stale = await projection.apply(tx, event);
        await tx.query('RELEASE SAVEPOINT projection_event');
        result.staleCacheKeys.push(...stale);
        result.applied += 1;
        return 'applied';
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT projection_event');
        // Not the event's fault: abort the whole batch (nothing commits) and count nothing against the event.
        if (error instanceof SinkUnavailable) throw error;
        const attempts = (policy.failures.get(event.globalPosition) ?? 0) + 1;
        policy.failures.set(event.globalPosition, attempts);
        if (attempts < policy.maxAttempts) return 'retry later';
        await deadLetter(tx, checkpointOf, event, errorText(error), attempts);
        policy.failures.delete(event.globalPosition);
        policy.onDeadLetter?.(event, errorText(error));
        parked.add(event.streamId);
        result.deadLettered += 1;
        return 'dead-lettered';
      }
    };

    if (!poison && projection.applyNewer) {
      // The fast path: every event past the checkpoint is newer than the read model, so the projection's bulk
      // form applies them in a few set-based statements.
      const fresh: ProjectedEvent[] = [];
      for (const event of events) {
        if (event.globalPosition <= position) continue;
        const verdict = verdictOn(event);
        if (verdict === 'apply') fresh.push(event);
        else if (verdict === 'park') await park(event);
        position = event.globalPosition;
      }
      result.staleCacheKeys.push(...(await projection.applyNewer(tx, fresh)));
      result.applied = fresh.length;
    } else {
      for (const event of events) {
        if (event.globalPosition <= position) continue;
        const verdict = verdictOn(event);
        if (verdict === 'park') await park(event);
        else if (verdict === 'apply') {
          if (!poison) {
            result.staleCacheKeys.push(...(await projection.apply(tx, event)));
            result.applied += 1;
          } else if ((await applyGuarded(event, poison)) === 'retry later') {
            result.stoppedAtFailure = true;
            break;
          }
        }
        position = event.globalPosition;
      }
    }
    result.position = position;
    return position > checkpoint ? { result, moveTo: position } : { result };
  });
}
