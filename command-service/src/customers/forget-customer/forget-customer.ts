import type pg from 'pg';
import { customerStreamId, isDomainError } from '@shop/domain';
import { inTransaction, type DataKeyRing, type EventMetadata, type EventStore } from '@shop/kernel';
import { customerAggregate } from '../../commands/aggregates.js';
import { runCommand } from '../../commands/run-command.js';

export interface ForgetCustomerDeps {
  pool: pg.Pool;
  /** The store with the personal-data codec around it. */
  store: EventStore;
  keys: DataKeyRing;
}

export type ForgetOutcome = { status: 'unknown' } | { status: 'forgotten'; lastPosition: bigint | undefined };

/**
 * GDPR erasure by crypto-shredding. In this order, so that any step may fail and a retry completes the rest:
 * 1. the customer must exist (else `unknown`, and nothing is touched);
 * 2. one transaction shreds the data key and removes the login (user_accounts), so every personal field in the log
 *    reads `[erased]` from here on and a later login answers 401;
 * 3. CustomerForgotten is appended (unless the customer was already forgotten). It comes after the shred on purpose:
 *    a projector that reads it drops its cached key, and must find the key gone when it looks again.
 */
export async function forgetCustomer(deps: ForgetCustomerDeps, customerId: string, metadata: EventMetadata, now: Date): Promise<ForgetOutcome> {
  const streamId = customerStreamId(customerId);
  if ((await deps.store.readStreamMetadata(streamId)) === undefined) return { status: 'unknown' };
  await inTransaction(deps.pool, async (tx) => {
    await deps.keys.shred(customerId, tx);
    await tx.query('DELETE FROM user_accounts WHERE customer_id = $1', [customerId]);
  });
  deps.keys.forget(customerId);
  try {
    const outcome = await runCommand(deps.store, streamId, customerAggregate, { type: 'ForgetCustomer', data: { customerId, forgottenAt: now.toISOString() } }, metadata);
    return { status: 'forgotten', lastPosition: outcome.appended?.lastPosition };
  } catch (error) {
    // Erasure is idempotent: a customer forgotten before is simply still forgotten.
    if (isDomainError(error) && error.code === 'customer_forgotten') return { status: 'forgotten', lastPosition: undefined };
    throw error;
  }
}
