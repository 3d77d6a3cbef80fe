import type pg from 'pg';
import { commandAggregate, handleCommand, writeTo, type DeciderDefinition, type DomainEvent } from '../event-store/command-handler.js';
import type { EventMetadata, EventStore } from '../event-store/event-store.port.js';
import { inTransaction } from '../postgres/pool.js';
import type { DataKeyRing } from './data-key-ring.js';

/** A subject's erasure, pure (@shop/domain's `customerErasure`): whose key goes, in which stream the log records it, with which command. */
export interface SubjectErasure<S, E extends DomainEvent, C> {
  /** The data-key subject whose personal fields become unreadable. */
  subject: string;
  streamId: string;
  decider: DeciderDefinition<S, E, C>;
  /** Records the erasure in the log. */
  command: C;
  /** The log already records it: erasing again appends nothing. */
  isErased: (state: S) => boolean;
}

export type ErasureOutcome = { status: 'unknown' } | { status: 'forgotten'; lastPosition: bigint | undefined };

export interface ErasureDeps {
  pool: pg.Pool;
  /** The store with the personal-data codec around it (after the shred, the subject's fields read `[erased]`). */
  store: EventStore;
  keys: DataKeyRing;
}

/**
 * GDPR erasure by crypto-shredding, the one implementation behind `POST /api/admin/customers/:id/erasure` and
 * `npm run audit -- forget`. In this order, so that any step may fail and a retry completes the rest:
 * 1. the subject's stream must exist (else `unknown`, and nothing is touched);
 * 2. one transaction shreds the data key and deletes what the subject left outside the log (`deleteOutsideLog`:
 *    the login), so every personal field in the log reads `[erased]` from here on;
 * 3. the erasure event is appended unless the log holds it already (through the command handler: a concurrent
 *    erasure is a conflict, retried on fresh state, which then finds it recorded). It comes after the shred on
 *    purpose: a projector that reads it drops its cached key, and must find the key gone when it looks again.
 */
export async function eraseSubject<S, E extends DomainEvent, C>(
  deps: ErasureDeps,
  erasure: SubjectErasure<S, E, C>,
  deleteOutsideLog: (tx: pg.ClientBase) => Promise<unknown>,
  metadata: EventMetadata,
): Promise<ErasureOutcome> {
  const { subject, streamId } = erasure;
  if ((await deps.store.readStreamMetadata(streamId)) === undefined) return { status: 'unknown' };
  await inTransaction(deps.pool, async (tx) => {
    await deps.keys.shred(subject, tx);
    await deleteOutsideLog(tx);
  });
  deps.keys.forget(subject);
  const aggregate = commandAggregate(erasure.decider);
  const outcome = await handleCommand(
    deps.store,
    async (reads) => {
      const state = await reads.load(streamId, aggregate);
      return erasure.isErased(state) ? [] : [writeTo(streamId, aggregate, aggregate.decide(erasure.command, state))];
    },
    { metadata },
  );
  return { status: 'forgotten', lastPosition: outcome.lastPosition };
}
