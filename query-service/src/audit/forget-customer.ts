import type pg from 'pg';
import { customerStreamId, CustomerEvent, CUSTOMER_EVENT_VERSIONS, decideCustomer, evolveCustomer, initialCustomerState } from '@shop/domain';
import { inTransaction, loadAggregate, type DataKeyRing, type EventMetadata, type EventStore } from '@shop/kernel';

export type ShellForgetOutcome = { status: 'unknown' } | { status: 'forgotten'; lastPosition: bigint | undefined };

/**
 * `npm run audit -- forget <customerId>`: the same erasure as the command service's
 * `POST /api/admin/customers/:customerId/erasure` (command-service customers/forget-customer), in the same order:
 * shred the key and remove the login in one transaction, then append CustomerForgotten unless it is already there.
 * `store` must have the personal-data codec around it (after the shred, the customer's fields read `[erased]`).
 */
export async function forgetCustomerFromShell(
  deps: { pool: pg.Pool; store: EventStore; keys: DataKeyRing },
  customerId: string,
  metadata: EventMetadata,
  now: Date,
): Promise<ShellForgetOutcome> {
  const streamId = customerStreamId(customerId);
  if ((await deps.store.readStreamMetadata(streamId)) === undefined) return { status: 'unknown' };
  await inTransaction(deps.pool, async (tx) => {
    await deps.keys.shred(customerId, tx);
    await tx.query('DELETE FROM user_accounts WHERE customer_id = $1', [customerId]);
  });
  deps.keys.forget(customerId);
  const loaded = await loadAggregate(deps.store, streamId, {
    initialState: initialCustomerState,
    evolve: evolveCustomer,
    parse: (event) => CustomerEvent.parse({ type: event.type, data: event.data }),
  });
  if (loaded.state.status === 'forgotten') return { status: 'forgotten', lastPosition: undefined };
  const events = decideCustomer({ type: 'ForgetCustomer', data: { customerId, forgottenAt: now.toISOString() } }, loaded.state);
  const appended = await deps.store.appendToStream(
    streamId,
    loaded.version,
    events.map((event) => ({ eventId: crypto.randomUUID(), type: event.type, schemaVersion: CUSTOMER_EVENT_VERSIONS[event.type], data: event.data, metadata })),
  );
  return { status: 'forgotten', lastPosition: appended.lastPosition };
}
