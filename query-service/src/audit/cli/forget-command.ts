import type pg from 'pg';
import type { DataKeyRing, EventStore } from '@shop/kernel';
import { forgetCustomerFromShell } from '../forget-customer.js';
import type { AuditCommand } from './arguments.js';

/** `forget`: GDPR erasure from a shell (crypto-shredding); `keys` is absent when DATA_KEY_ENCRYPTION_KEY is not set. */
export async function runForget(
  command: Extract<AuditCommand, { kind: 'forget' }>,
  deps: { pool: pg.Pool; store: EventStore; keys: DataKeyRing | undefined },
): Promise<number> {
  const { keys } = deps;
  if (!keys) {
    console.error('forget needs DATA_KEY_ENCRYPTION_KEY (the services\' master key) to replay the customer');
    return 2;
  }
  const outcome = await forgetCustomerFromShell({ ...deps, keys }, command.customerId, { correlationId: crypto.randomUUID(), causationId: 'audit-cli', actor: { system: 'audit-cli' } }, new Date());
  if (outcome.status === 'unknown') {
    console.error(`No customer ${command.customerId}`);
    return 1;
  }
  console.log(`customer ${command.customerId} forgotten: data key deleted, login removed` + (outcome.lastPosition === undefined ? ' (CustomerForgotten was already recorded)' : `, CustomerForgotten at position ${outcome.lastPosition}`));
  return 0;
}
