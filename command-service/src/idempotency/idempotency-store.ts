import type pg from 'pg';
import type { Logger } from '@shop/service-kit';
import { GroupCommit } from '@shop/kernel';
import type { StoredKey } from './idempotency-decision.js';
import { completionId, KEY_COMPLETION_CHANNEL, KeyCompletions, type KeyWatch } from './key-completions.js';

interface Claim {
  userId: string;
  key: string;
  requestHash: string;
}

interface Answer {
  userId: string;
  key: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Below nginx's proxy_read_timeout (60 s) and any client's patience; a create normally takes milliseconds. */
export const DEFAULT_IN_PROGRESS_WAIT_MS = 10_000;

const keyOf = (item: { userId: string; key: string }): string => `${item.userId}\u0000${item.key}`;

/**
 * The idempotency_keys table, written in batches: concurrent creates claim their keys in one INSERT and store
 * their answers in one UPDATE, the same group-commit idea as the event store's appends. A batch never holds the
 * same key twice, so of two concurrent duplicates exactly one claims it.
 */
export class IdempotencyStore {
  private readonly claims: GroupCommit<Claim, boolean>;
  private readonly answers: GroupCommit<Answer, void>;
  /** Answers this process is still writing, by key: a replay read waits for them (see `read`). */
  private readonly answersInFlight = new Map<string, Promise<void>>();
  private readonly completions: KeyCompletions;

  constructor(
    private readonly pool: pg.Pool,
    readonly logger: Logger,
    /** How long a retry waits for its key's first request to finish before it answers 409 in progress. */
    readonly inProgressWaitMs = DEFAULT_IN_PROGRESS_WAIT_MS,
  ) {
    this.completions = new KeyCompletions(pool);
    this.claims = new GroupCommit((items) => this.claimBatch(items), 256, (item) => [keyOf(item)]);
    this.answers = new GroupCommit((items) => this.answerBatch(items), 256, (item) => [keyOf(item)]);
  }

  /** True when this request now owns the key; false when the key was already there. */
  claim(userId: string, key: string, requestHash: string): Promise<boolean> {
    return this.claims.submit({ userId, key, requestHash });
  }

  /**
   * The key's row. An answer this process is still writing is waited for first, so a retry that reaches the same
   * process right after the first answer went out is replayed, not told "in progress".
   */
  async read(userId: string, key: string): Promise<StoredKey | undefined> {
    await this.answersInFlight.get(keyOf({ userId, key }));
    const { rows } = await this.pool.query<StoredKey>(
      'SELECT request_hash, state, response_status, response_headers, response_body, append_stream_id FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    );
    return rows[0];
  }

  /**
   * Stores the answer in the background (the client already has it). A failure is logged: the key then stays
   * "in progress", so a retry answers 409 and never runs the request twice.
   */
  storeAnswer(userId: string, key: string, status: number, headers: Record<string, string>, body: string): void {
    const id = keyOf({ userId, key });
    const stored = this.answers.submit({ userId, key, status, headers, body }).catch((error: unknown) => {
      this.logger.error({ err: error, userId, idempotencyKey: key }, 'idempotent answer not stored: the key stays in progress');
    });
    this.answersInFlight.set(id, stored);
    void stored.then(() => {
      if (this.answersInFlight.get(id) === stored) this.answersInFlight.delete(id);
    });
  }

  /** A failed attempt (5xx) gives its key back, so the client's retry runs the request again (and a waiter hears so). */
  async release(userId: string, key: string): Promise<void> {
    await this.pool.query(
      `WITH released AS (DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 RETURNING 1)
       SELECT pg_notify('${KEY_COMPLETION_CHANNEL}', $3) FROM released`,
      [userId, key, completionId(userId, key)],
    );
  }

  /**
   * Watches a key for the end of its "in progress" (its answer stored or the key given back), on this instance or
   * any other: read the key after this resolves, then wait on the watch, and no completion can slip in between.
   */
  watch(userId: string, key: string): Promise<KeyWatch> {
    return this.completions.watch(completionId(userId, key));
  }

  private async claimBatch(items: Claim[]): Promise<boolean[]> {
    const { rows } = await this.pool.query<{ user_id: string; key: string }>({
      name: 'claim_idempotency_keys',
      text: `INSERT INTO idempotency_keys (user_id, key, request_hash, state)
             SELECT u.user_id, u.key, u.request_hash, 'in_progress' FROM unnest($1::text[], $2::text[], $3::text[]) AS u(user_id, key, request_hash)
             -- In key order, as an order's append claims its keys: the same lock order on both sides (against deadlocks).
             ORDER BY u.user_id, u.key
             ON CONFLICT (user_id, key) DO NOTHING
             RETURNING user_id, key`,
      values: [items.map((i) => i.userId), items.map((i) => i.key), items.map((i) => i.requestHash)],
    });
    const claimed = new Set(rows.map((row) => keyOf({ userId: row.user_id, key: row.key })));
    return items.map((item) => claimed.has(keyOf(item)));
  }

  private async answerBatch(items: Answer[]): Promise<void[]> {
    await this.pool.query({
      name: 'store_idempotent_answers_and_notify',
      // A function (init.sql) so that its join always probes the primary key, however the table's size changed. The
      // same statement (so the same transaction) announces each key's completion to retries waiting on other instances,
      // with the payload `completionId` makes.
      text: `SELECT store_idempotent_answers($1::text[], $2::text[], $3::int[], $4::jsonb[], $5::text[]),
                    (SELECT count(pg_notify('${KEY_COMPLETION_CHANNEL}', u.user_id || ' ' || u.key)) FROM unnest($1::text[], $2::text[]) AS u(user_id, key))`,
      values: [
        items.map((i) => i.userId),
        items.map((i) => i.key),
        items.map((i) => i.status),
        items.map((i) => JSON.stringify(i.headers)),
        items.map((i) => i.body),
      ],
    });
    return items.map(() => undefined);
  }
}
