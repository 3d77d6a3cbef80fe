import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { createPool } from '../postgres/pool.js';
import { applySchema } from '../postgres/schema.js';
import { VersionConflict, type NewEvent } from './event-store.port.js';
import { PostgresEventStore } from './postgres-event-store.js';

const metadata = { correlationId: 'test', causationId: 'test', actor: { system: 'test' } };
const newEvent = (type = 'Thing', data: Record<string, unknown> = { n: 1 }): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata,
});

describe('PostgresEventStore (real Postgres)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url, { max: 40 });
    await applySchema(pool);
    store = new PostgresEventStore(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.stop();
  });

  it('appends to a new stream and reads the events back in order with their envelope', async () => {
    const stream = `thing-${randomUUID()}`;
    const events = [newEvent('Made', { a: 1 }), newEvent('Changed', { a: 2 })];
    const result = await store.appendToStream(stream, 'no_stream', events);
    expect(result.nextVersion).toBe(2n);

    const read = await store.readStream(stream);
    expect(read.map((e) => [e.eventId, e.type, e.streamVersion, e.data])).toEqual([
      [events[0]!.eventId, 'Made', 1n, { a: 1 }],
      [events[1]!.eventId, 'Changed', 2n, { a: 2 }],
    ]);
    expect(read[1]!.globalPosition).toBe(result.lastPosition);
    expect(read[1]!.globalPosition - read[0]!.globalPosition).toBe(1n);
    expect(read[0]!.metadata).toEqual(metadata);
    expect(read[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(read[0]!.hash).not.toBe(read[1]!.hash);
  });

  it('raises one VersionConflict carrying the expected and actual versions', async () => {
    const stream = `thing-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [newEvent(), newEvent()]);
    const conflict = await store.appendToStream(stream, 1n, [newEvent()]).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(VersionConflict);
    expect(conflict).toMatchObject({ streamId: stream, expected: 1n, actual: 2n });
    await expect(store.appendToStream(stream, 'no_stream', [newEvent()])).rejects.toMatchObject({ expected: 'no_stream', actual: 2n });
    await expect(store.appendToStream(`thing-${randomUUID()}`, 'exists', [newEvent()])).rejects.toMatchObject({ actual: 0n });
  });

  it('accepts each expected-version form when it holds', async () => {
    const stream = `thing-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [newEvent()]);
    await store.appendToStream(stream, 'exists', [newEvent()]);
    await store.appendToStream(stream, 'any', [newEvent()]);
    const result = await store.appendToStream(stream, 3n, [newEvent()]);
    expect(result.nextVersion).toBe(4n);
  });

  it('treats a retried append with the same event ids as already done, without duplicates', async () => {
    const stream = `thing-${randomUUID()}`;
    const events = [newEvent(), newEvent()];
    const first = await store.appendToStream(stream, 'no_stream', events);
    const retry = await store.appendToStream(stream, 'no_stream', events);
    expect(retry).toEqual(first);
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('lets exactly one of 32 concurrent appends win each version of one stream', async () => {
    const stream = `thing-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [newEvent()]);
    const outcomes = await Promise.allSettled(Array.from({ length: 32 }, () => store.appendToStream(stream, 1n, [newEvent()])));
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers.every((o) => o.reason instanceof VersionConflict)).toBe(true);
    expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1n, 2n]);
  });

  it('never lets a reader following global position skip an event committed late by a slow transaction', async () => {
    const slow = await pool.connect();
    try {
      const before = (await store.readAll(0n, 1_000_000)).at(-1)?.globalPosition ?? 0n;
      // A slow writer: its append is inside a transaction that stays open.
      await slow.query('BEGIN');
      await slow.query('SELECT * FROM append_to_stream($1, $2, $3)', [`slow-${randomUUID()}`, 'any', JSON.stringify([newEvent('Slow')])]);
      // Fast writers run meanwhile; they must not become visible ahead of the slow one's position.
      const fast = Promise.all(Array.from({ length: 5 }, () => store.appendToStream(`fast-${randomUUID()}`, 'any', [newEvent('Fast')])));
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

  it('reads the global log in batches after a position', async () => {
    const start = (await store.readAll(0n, 1_000_000)).at(-1)?.globalPosition ?? 0n;
    await store.appendToStream(`thing-${randomUUID()}`, 'no_stream', [newEvent(), newEvent(), newEvent()]);
    const firstTwo = await store.readAll(start, 2);
    const rest = await store.readAll(firstTwo.at(-1)!.globalPosition, 10);
    expect(firstTwo).toHaveLength(2);
    expect(rest).toHaveLength(1);
    expect(rest[0]!.globalPosition).toBe(start + 3n);
  });
});
