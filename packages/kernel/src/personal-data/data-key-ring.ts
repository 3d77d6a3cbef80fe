import type pg from 'pg';
import { newDataKey, unwrapDataKey, wrapDataKey } from './envelope.js';

/** A subject's data key, or the fact that it is gone (shredded, or never made): its fields then read as erased. */
export type DataKeyLookup = { status: 'active'; key: Buffer } | { status: 'erased' };

/**
 * The per-subject data keys. They live outside the event log (table `personal_data_keys`, 0120-personal-data-keys.sql), so deleting one
 * erases every personal field encrypted under it while the hash chain, which covers only the ciphertext, holds.
 */
export interface DataKeyRing {
  /** The subject's key, made on first use; `erased` once shredded (a shredded subject never gets a new key). */
  keyForWriting(subject: string): Promise<DataKeyLookup>;
  /** The subject's key, or `erased` when it has none. */
  keyForReading(subject: string): Promise<DataKeyLookup>;
  /** Deletes the subject's key for good and leaves a tombstone; idempotent. With `client`: inside its transaction. */
  shred(subject: string, client?: pg.ClientBase): Promise<void>;
  /** Drops what this process cached about the subject (it was shredded, maybe by another process). */
  forget(subject: string): void;
}

/**
 * Unwrapped keys are cached briefly, so the command path pays an AES-GCM per field and not a round trip per event.
 * Bounded in count (least recently used goes first) and in age: another process's shred reaches this one's cache at
 * the latest after `ttlMs` (or at once where it sees the erasure event, see PersonalDataCodec).
 */
export class KeyCache {
  private readonly entries = new Map<string, { lookup: DataKeyLookup; expires: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(subject: string): DataKeyLookup | undefined {
    const entry = this.entries.get(subject);
    if (!entry) return undefined;
    this.entries.delete(subject);
    if (entry.expires <= this.now()) return undefined;
    this.entries.set(subject, entry); // most recently used last
    return entry.lookup;
  }

  set(subject: string, lookup: DataKeyLookup): void {
    this.entries.delete(subject);
    this.entries.set(subject, { lookup, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(subject: string): void {
    this.entries.delete(subject);
  }

  get size(): number {
    return this.entries.size;
  }
}

type KeyRow = { wrapped_key: Buffer | null };

export class PostgresDataKeyRing implements DataKeyRing {
  constructor(
    private readonly pool: pg.Pool,
    private readonly masterKey: Buffer,
    private readonly cache = new KeyCache(),
  ) {}

  async keyForWriting(subject: string): Promise<DataKeyLookup> {
    const cached = this.cache.get(subject);
    if (cached) return cached;
    // Made before the event that needs it is appended (in its own statement): a key without events is harmless, an
    // event without its key would read as erased.
    const { rows } = await this.pool.query<KeyRow>({
      name: 'personal_data_key_for_writing',
      text: `WITH made AS (
               INSERT INTO personal_data_keys (subject_id, wrapped_key) VALUES ($1, $2)
               ON CONFLICT (subject_id) DO NOTHING RETURNING wrapped_key)
             SELECT wrapped_key FROM made
             UNION ALL
             SELECT wrapped_key FROM personal_data_keys WHERE subject_id = $1 AND NOT EXISTS (SELECT FROM made)`,
      values: [subject, wrapDataKey(this.masterKey, subject, newDataKey())],
    });
    // A concurrent maker committed after this statement's snapshot: its row is visible to a new statement.
    const row = rows[0] ?? (await this.read(subject));
    return this.remember(subject, row);
  }

  async keyForReading(subject: string): Promise<DataKeyLookup> {
    return this.cache.get(subject) ?? this.remember(subject, await this.read(subject));
  }

  async shred(subject: string, client?: pg.ClientBase): Promise<void> {
    await (client ?? this.pool).query(
      `INSERT INTO personal_data_keys (subject_id, wrapped_key, erased_at) VALUES ($1, NULL, now())
       ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, erased_at = COALESCE(personal_data_keys.erased_at, now())`,
      [subject],
    );
    this.cache.delete(subject);
  }

  forget(subject: string): void {
    this.cache.delete(subject);
  }

  private async read(subject: string): Promise<KeyRow | undefined> {
    const { rows } = await this.pool.query<KeyRow>({
      name: 'personal_data_key_for_reading',
      text: 'SELECT wrapped_key FROM personal_data_keys WHERE subject_id = $1',
      values: [subject],
    });
    return rows[0];
  }

  private remember(subject: string, row: KeyRow | undefined): DataKeyLookup {
    const lookup: DataKeyLookup = row?.wrapped_key ? { status: 'active', key: unwrapDataKey(this.masterKey, subject, row.wrapped_key) } : { status: 'erased' };
    this.cache.set(subject, lookup);
    return lookup;
  }
}

/** The same ring in memory: for the in-memory event store and the codec's pure tests. */
export class InMemoryDataKeyRing implements DataKeyRing {
  private readonly keys = new Map<string, Buffer | null>();

  keyForWriting(subject: string): Promise<DataKeyLookup> {
    if (!this.keys.has(subject)) this.keys.set(subject, newDataKey());
    return this.keyForReading(subject);
  }

  keyForReading(subject: string): Promise<DataKeyLookup> {
    const key = this.keys.get(subject);
    return Promise.resolve(key ? { status: 'active', key } : { status: 'erased' });
  }

  shred(subject: string): Promise<void> {
    this.keys.set(subject, null);
    return Promise.resolve();
  }

  forget(_subject: string): void {}
}
