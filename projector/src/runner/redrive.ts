import type pg from 'pg';
import { inTransaction, type EventStore } from '@shop/kernel';
import type { Projection } from '../projections/projection.js';
import { deadLettersOf, takeDeadLetter } from './checkpoint-store.js';

export interface RedriveResult {
  redriven: number;
  /** Set when an event failed again: redriving stopped there, it and everything after it stay parked. */
  failedAt?: { position: bigint; error: string };
}

/**
 * Applies a projection's dead letters again, oldest first, each in its own transaction with the removal of its
 * row, so a stream is unparked exactly when its last letter is through. Stops at the first failure: the letters
 * from there on stay parked in order. Safe to stop at any point and run again (a killed process, a second redrive
 * at once): a letter leaves the table in the transaction that applies it, so none is applied twice or lost. The
 * CLI (`npm run projections -- redrive`) and the projector's redrive requests (redrive-requests.ts) both run this.
 */
export async function redriveDeadLetters(
  pool: pg.Pool,
  store: EventStore,
  projection: Projection,
  invalidate: (keys: string[], position: bigint) => Promise<void>,
  progress: (line: string) => void,
): Promise<RedriveResult> {
  // A partitioned projection's letters are kept per partition (`catalog/1of4`): all of them are redriven, in order.
  const letters = await deadLettersOf(pool, projection.name);
  progress(`${projection.name}: ${letters.length} dead letter(s) to redrive`);
  let redriven = 0;
  for (const letter of letters) {
    const { position } = letter;
    const [event] = await store.readAll(position - 1n, 1);
    if (!event || event.globalPosition !== position) throw new Error(`event ${position} is not in the store`);
    try {
      const taken = await inTransaction(pool, async (tx) => {
        // Out first, then applied: both commit together, and a letter another redrive took meanwhile is not applied twice.
        const checkpoint = await takeDeadLetter(tx, letter, projection.name);
        return checkpoint === undefined ? undefined : { keys: await projection.apply(tx, event), checkpoint };
      });
      if (!taken) continue;
      // The row changed below the checkpoint, so entries cached at the checkpoint may predate it: the marker must
      // outrank them (a few extra misses until the projection moves on).
      if (taken.keys.length) await invalidate(taken.keys, taken.checkpoint + 1n);
      redriven += 1;
      if (redriven % 100 === 0) progress(`${projection.name}: ${redriven}/${letters.length} redriven`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      progress(`${projection.name}: stopped at position ${position} (${event.type} on ${event.streamId}): ${message}`);
      return { redriven, failedAt: { position, error: message } };
    }
  }
  progress(`${projection.name}: ${redriven} redriven, none left`);
  return { redriven };
}
