import type pg from 'pg';
import { customerErasure } from '@shop/domain';
import { eraseSubject, type DataKeyRing, type ErasureOutcome, type EventMetadata, type EventStore } from '@shop/kernel';
import { deleteLoginsOf } from '../../auth/user-accounts.js';

export interface ForgetCustomerDeps {
  pool: pg.Pool;
  /** The store with the personal-data codec around it. */
  store: EventStore;
  keys: DataKeyRing;
}

/**
 * GDPR erasure by crypto-shredding (the kernel's `eraseSubject`, which the audit CLI's `forget` runs too): the
 * customer's data key and login go in one transaction, then CustomerForgotten is appended once. `unknown` when the
 * customer never existed (nothing is touched).
 */
export const forgetCustomer = (deps: ForgetCustomerDeps, customerId: string, metadata: EventMetadata, now: Date): Promise<ErasureOutcome> =>
  eraseSubject(deps, customerErasure(customerId, now.toISOString()), (tx) => deleteLoginsOf(tx, customerId), metadata);
