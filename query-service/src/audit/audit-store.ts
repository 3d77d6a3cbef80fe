import type pg from 'pg';
import { PERSONAL_DATA } from '@shop/domain';
import { KeyCache, PersonalDataCodec, PersonalDataEventStore, PostgresDataKeyRing, PostgresEventStore, type DataKeyRing } from '@shop/kernel';

/**
 * Data keys are cached for a second only here: an audit read is no hot path, and an erasure made by the command
 * service (another process) must show as `[erased]` right away (the projector's and the command service's caches keep
 * keys longer; they see the erasure event, or make it).
 */
const AUDIT_KEY_TTL_MS = 1_000;

/**
 * The event store as the auditor reads it (the API and the CLI alike): events as stored (no upcasters), personal
 * fields decrypted, `[erased]` once the customer's key is shredded, `[unreadable]` where a field was edited (its hash
 * link is broken too, and verify names the event), never an error page for it.
 */
export function auditEventStore(pool: pg.Pool, masterKey: Buffer): { store: PersonalDataEventStore; keys: DataKeyRing } {
  const keys = new PostgresDataKeyRing(pool, masterKey, new KeyCache(10_000, AUDIT_KEY_TTL_MS));
  return { store: new PersonalDataEventStore(new PostgresEventStore(pool), new PersonalDataCodec(keys, PERSONAL_DATA), { onTampered: 'mark' }), keys };
}
