import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { retryUntil, startTestPostgres, type TestPostgres } from '@shop/testing';
import { createPool } from '../postgres/pool.js';
import { applySchema } from '../postgres/schema.js';
import { contractEvent, eventStoreContract } from './event-store.contract.js';
import { IdempotencyKeyTaken, type IdempotencyClaim } from './event-store.port.js';
import { referenceEventHashSql } from './postgres-hash-chain.js';
import { appendsWaitingForLock, PostgresEventStore } from './postgres-event-store.js';

// append_streams checks and writes a batch in one set-based statement and hands what that cannot take to
// append_batch, which walks it item by item: two implementations of one contract, so the contract holds both. The
// second run's sessions send every batch down append_batch (the `shop.append_path` setting, 0100-event-store.sql).
for (const [adapter, sessionSettings] of [
  ['postgres', ''],
  ['postgres, append_batch path', '-c shop.append_path=general'],
] as const) {
  eventStoreContract(
    adapter,
    async (upcasters) => {
      const database = await startTestPostgres();
      const url = new URL(database.url);
      if (sessionSettings) url.searchParams.set('options', sessionSettings);
      const pool = createPool(url.toString(), { max: 40 });
      await applySchema(pool);
      return {
        store: new PostgresEventStore(pool, { upcasters }),
        dispose: async () => {
          await pool.end();
          await database.stop();
        },
      };
    },
    { densePositions: true },
  );
}

describe('PostgresEventStore specifics (real Postgres)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url, { max: 20 });
    await applySchema(pool);
    store = new PostgresEventStore(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.stop();
  });

  const head = async (): Promise<bigint> => BigInt((await pool.query<{ position: string }>('SELECT COALESCE(max(global_position), 0) AS position FROM events')).rows[0]!.position);

  it('never lets a reader following global position skip an event committed late by a slow transaction', async () => {
    const slow = await pool.connect();
    try {
      const before = await head();
      // A slow writer: its append runs inside a transaction that stays open.
      await slow.query('BEGIN');
      await slow.query('SELECT * FROM append_batch($1)', [
        JSON.stringify([{ streams: [{ streamId: `slow-${randomUUID()}`, expected: 'any', events: [contractEvent('Slow')] }] }]),
      ]);
      // Fast writers run meanwhile; none may become visible ahead of the slow one's position.
      const fast = Promise.all(Array.from({ length: 5 }, () => store.appendToStream(`fast-${randomUUID()}`, 'any', [contractEvent('Fast')])));
      // Read only once a fast append is really in the store, waiting behind the slow one's lock: a reader that looked
      // any earlier could see nothing for want of anything to see.
      await retryUntil(
        'a fast append waits for the append lock',
        async () => {
          if ((await appendsWaitingForLock(pool)) === 0) throw new Error('no append is waiting for the lock yet');
        },
        { timeoutMs: 10_000, intervalMs: 10 },
      );
      const seenWhileOpen = await store.readAll(before, 1_000);
      await slow.query('COMMIT');
      await fast;

      const all = await store.readAll(before, 1_000);
      expect(seenWhileOpen).toEqual([]);
      expect(all.map((e) => e.type)).toEqual(['Slow', 'Fast', 'Fast', 'Fast', 'Fast', 'Fast']);
      expect(all.map((e) => e.globalPosition)).toEqual(all.map((_, i) => before + BigInt(i) + 1n));
    } finally {
      slow.release();
    }
  });

  it('stores the hash of the canonical jsonb envelope (the reference rendering), awkward stream ids and types included', async () => {
    // event_hash writes the jsonb text out instead of building it: the bytes hashed must stay jsonb's own.
    const stream = `chain-"quoted" \\ back\tslash ü-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [
      contractEvent('Type "with" quotes\n', { s: 'a"b\\c\u0001', n: [1.5, -0, 1e21], deep: { b: [], a: {} } }),
      contractEvent('東京', { x: null }),
    ]);
    const { rows } = await pool.query<{ ok: boolean }>(
      `SELECT e.hash = ${referenceEventHashSql("COALESCE(lag(e.hash) OVER w, decode(repeat('00', 32), 'hex'))", 'e')} AS ok
         FROM events e WHERE e.stream_id = $1 WINDOW w AS (ORDER BY e.stream_version) ORDER BY e.stream_version`,
      [stream],
    );
    expect(rows.map((r) => r.ok)).toEqual([true, true]);
  });

  it('stores hashes that the SQL event_hash function recomputes link by link', async () => {
    const stream = `chain-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [contractEvent('A', { x: 'ü' }), contractEvent('B', { nested: { b: 2, a: 1 } })]);
    await store.appendToStream(stream, 2n, [contractEvent('C')]);
    const { rows } = await pool.query<{ ok: boolean }>(
      `SELECT e.hash = event_hash(COALESCE(lag(e.hash) OVER w, decode(repeat('00', 32), 'hex')), e.event_id, e.stream_id,
                e.stream_version, e.event_type, e.schema_version, e.data, e.metadata, e.recorded_at) AS ok
         FROM events e WHERE e.stream_id = $1 WINDOW w AS (ORDER BY e.stream_version) ORDER BY e.stream_version`,
      [stream],
    );
    expect(rows.map((r) => r.ok)).toEqual([true, true, true]);
  });

  it('groups concurrent appends into far fewer transactions than appends (group commit)', async () => {
    const transactionsBefore = store.appendTransactions;
    const appends = await Promise.all(Array.from({ length: 64 }, () => store.appendToStream(`group-${randomUUID()}`, 'no_stream', [contractEvent()])));
    const transactions = store.appendTransactions - transactionsBefore;
    expect(new Set(appends.map((a) => a.lastPosition)).size).toBe(64);
    expect(transactions).toBeLessThan(16);
  });

  it('fails only the bad append of a group, never its neighbours', async () => {
    const reused = contractEvent();
    await store.appendToStream(`first-${randomUUID()}`, 'no_stream', [reused]);
    const outcomes = await Promise.allSettled([
      store.appendToStream(`ok-${randomUUID()}`, 'no_stream', [contractEvent()]),
      // The same event id in another stream violates the store's unique event ids.
      store.appendToStream(`other-${randomUUID()}`, 'no_stream', [reused]),
      store.appendToStream(`ok-${randomUUID()}`, 'no_stream', [contractEvent()]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  describe('idempotency claims written with the append', () => {
    const newClaim = (): IdempotencyClaim => ({ userId: `user-${randomUUID()}`, key: `key-${randomUUID()}`, requestHash: randomUUID() });
    type KeyRow = { request_hash: string; state: string; append_stream_id: string | null };
    const keyRow = async (claim: IdempotencyClaim): Promise<KeyRow | undefined> =>
      (
        await pool.query<KeyRow>('SELECT request_hash, state, append_stream_id FROM idempotency_keys WHERE user_id = $1 AND key = $2', [
          claim.userId,
          claim.key,
        ])
      ).rows[0];
    const version = async (stream: string): Promise<bigint | undefined> => (await store.readStreamMetadata(stream))?.version;

    it('claims the key, in progress, in the same transaction as the events, naming the append\'s first stream', async () => {
      const claim = newClaim();
      const stream = `claimed-${randomUUID()}`;
      const second = `claimed-too-${randomUUID()}`;
      await store.appendToStreams(
        [
          { streamId: stream, expected: 'no_stream', events: [contractEvent()] },
          { streamId: second, expected: 'no_stream', events: [contractEvent()] },
        ],
        { claim },
      );
      expect(await version(stream)).toBe(1n);
      expect(await keyRow(claim)).toEqual({ request_hash: claim.requestHash, state: 'in_progress', append_stream_id: stream });
    });

    it('writes nothing and throws IdempotencyKeyTaken when the user already has the key', async () => {
      const claim = newClaim();
      await store.appendToStreams([{ streamId: `first-${randomUUID()}`, expected: 'no_stream', events: [contractEvent()] }], { claim });
      const second = `second-${randomUUID()}`;
      const product = `product-${randomUUID()}`;
      await store.appendToStream(product, 'no_stream', [contractEvent()]);
      const attempt = store.appendToStreams(
        [
          { streamId: second, expected: 'no_stream', events: [contractEvent()] },
          { streamId: product, expected: 1n, events: [contractEvent()] },
        ],
        { claim: { ...claim, requestHash: 'another body' } },
      );
      await expect(attempt).rejects.toBeInstanceOf(IdempotencyKeyTaken);
      expect(await version(second)).toBeUndefined();
      expect(await version(product)).toBe(1n);
      expect((await keyRow(claim))?.request_hash).toBe(claim.requestHash);
    });

    it('leaves the key free when the append conflicts, so that the retry can claim it', async () => {
      const claim = newClaim();
      const stream = `taken-${randomUUID()}`;
      await store.appendToStream(stream, 'no_stream', [contractEvent()]);
      await expect(store.appendToStreams([{ streamId: stream, expected: 'no_stream', events: [contractEvent()] }], { claim })).rejects.toThrow('Version conflict');
      expect(await keyRow(claim)).toBeUndefined();
      await store.appendToStreams([{ streamId: stream, expected: 1n, events: [contractEvent()] }], { claim });
      expect(await keyRow(claim)).toBeDefined();
    });

    it('lets exactly one of many concurrent appends with the same key write', async () => {
      const claim = newClaim();
      const streams = Array.from({ length: 8 }, () => `racing-${randomUUID()}`);
      const outcomes = await Promise.allSettled(streams.map((streamId) => store.appendToStreams([{ streamId, expected: 'no_stream', events: [contractEvent()] }], { claim })));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof IdempotencyKeyTaken)).toHaveLength(7);
      const written = await Promise.all(streams.map(version));
      expect(written.filter((v) => v === 1n)).toHaveLength(1);
    });

    it('claims on the general path too (a batch that holds a retry), and answers the retry from the store', async () => {
      const retried = { streamId: `retried-${randomUUID()}`, expected: 'no_stream' as const, events: [contractEvent()] };
      const first = await store.appendToStreams([retried]);
      const fresh = newClaim();
      const taken = newClaim();
      await store.appendToStreams([{ streamId: `holder-${randomUUID()}`, expected: 'no_stream', events: [contractEvent()] }], { claim: taken });
      // Submitted in one tick behind a lone append, the three share one batch (the lone one's, or the next): the
      // retry in it sends the whole batch down append_batch's general path.
      const transactionsBefore = store.appendTransactions;
      const lone = store.appendToStream(`lone-${randomUUID()}`, 'no_stream', [contractEvent()]);
      const freshStream = `fresh-${randomUUID()}`;
      const takenStream = `refused-${randomUUID()}`;
      const [retry, claimed, refused] = await Promise.allSettled([
        store.appendToStreams([retried]),
        store.appendToStreams([{ streamId: freshStream, expected: 'no_stream', events: [contractEvent()] }], { claim: fresh }),
        store.appendToStreams([{ streamId: takenStream, expected: 'no_stream', events: [contractEvent()] }], { claim: taken }),
      ]);
      await lone;
      expect(store.appendTransactions - transactionsBefore).toBeLessThanOrEqual(2);
      expect(retry).toEqual({ status: 'fulfilled', value: first });
      expect(claimed.status).toBe('fulfilled');
      expect(await keyRow(fresh)).toEqual({ request_hash: fresh.requestHash, state: 'in_progress', append_stream_id: freshStream });
      expect(refused.status === 'rejected' && refused.reason instanceof IdempotencyKeyTaken).toBe(true);
      expect(await version(takenStream)).toBeUndefined();
    });
  });
});
