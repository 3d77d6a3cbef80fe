import type pg from 'pg';
import { customerErasure } from '@shop/domain';
import { eraseSubject, type DataKeyRing, type ErasureOutcome, type EventMetadata, type EventStore } from '@shop/kernel';

/**
 * `npm run audit -- forget <customerId>`: the same erasure as the command service's
 * `POST /api/admin/customers/:customerId/erasure`, by the one implementation (the kernel's `eraseSubject`).
 * `store` must have the personal-data codec around it (after the shred, the customer's fields read `[erased]`).
 */
export const forgetCustomerFromShell = (
  deps: { pool: pg.Pool; store: EventStore; keys: DataKeyRing },
  customerId: string,
  metadata: EventMetadata,
  now: Date,
): Promise<ErasureOutcome> =>
  eraseSubject(
    deps,
    customerErasure(customerId, now.toISOString()),
    // The login lives in the command side's user_accounts; the shell deletes it with the key, as the service does.
    (tx) => tx.query('DELETE FROM user_accounts WHERE customer_id = $1', [customerId]),
    metadata,
  );
