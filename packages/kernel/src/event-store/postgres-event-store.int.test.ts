import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { createPool } from '../postgres/pool.js';
import { applySchema } from '../postgres/schema.js';
import { contractEvent, eventStoreContract } from './event-store.contract.js';
import { PostgresEventStore } from './postgres-event-store.js';

eventStoreContract(
  'postgres',
  async (upcasters) => {
    const database = await startTestPostgres();
    const pool = createPool(database.url, { max: 40 });
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
      await new Promise((resolve) => setTimeout(resolve, 300));
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
});
