import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { startTestPostgres, type TestPostgres } from '@shop/testing';
import { createPool } from '../postgres/pool.js';
import { applySchema } from '../postgres/schema.js';
import type { NewEvent } from './event-store.port.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { canonicalEventHashSql, referenceEventHashSql, verifyHashChains, type HashChainVerdict, type VerifyHashChainsOptions } from './postgres-hash-chain.js';

const metadata = { correlationId: 'c', causationId: 'c', actor: { system: 'test' } };
/** Data that jsonb renders in every way it can: escapes, non-ASCII, nesting, numbers of every shape, empty containers. */
const awkward = {
  quote: 'say "cheese" \\ back\\slash',
  control: 'tab\tnew\nline\u0001',
  unicode: 'Grüße, 東京, 🚚',
  numbers: [0, -1, 1.5, 1e21, 2 ** 60, -0.000001, Number.MAX_SAFE_INTEGER],
  nested: { empty: {}, list: [], deep: [{ a: [null, true, false] }] },
};
const event = (type: string, n: number): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data: n % 3 === 0 ? { n, ...awkward } : { n, note: `event ${n}` },
  metadata: n % 4 === 0 ? { ...metadata, actor: { userId: 'ü"ser', role: 'admin' } } : metadata,
});

/**
 * The fixture log, in global order (every append path of append_batch is in it: single events, several events of
 * one stream in one append, two streams in one atomic append, a truncated stream, a soft-deleted stream appended to
 * again):
 *   1 A1 · 2 B1 3 B2 4 B3 (one append) · 5 A2 · 6 C1 7 D1 (atomic) · 8 A3 · 9 B4 · 10 A4 · 11 C2 · 12 D2 (after D's delete)
 */
async function fillFixture(store: PostgresEventStore, ids: Record<'A' | 'B' | 'C' | 'D', string>): Promise<void> {
  const { A, B, C, D } = ids;
  await store.appendToStream(A, 'no_stream', [event('Made', 1)]);
  await store.appendToStream(B, 'no_stream', [event('Made', 2), event('Changed', 3), event('Changed', 4)]);
  await store.appendToStream(A, 1n, [event('Changed', 5)]);
  await store.appendToStreams([
    { streamId: C, expected: 'no_stream', events: [event('Made', 6)] },
    { streamId: D, expected: 'no_stream', events: [event('Made', 7)] },
  ]);
  await store.appendToStream(A, 2n, [event('Changed', 8)]);
  await store.appendToStream(B, 3n, [event('Changed', 9)]);
  await store.appendToStream(A, 3n, [event('Changed', 10)]);
  await store.truncateStream(A, 3n);
  await store.appendToStream(C, 1n, [event('Changed', 11)]);
  await store.deleteStream(D, 1n);
  await store.appendToStream(D, 'any', [event('Revived', 12)]);
}

describe.each([
  ['trusting each batch for the previous event', false],
  ['probing every link', true],
])('verifyHashChains (real Postgres, %s): what tampering it catches and how it names it', (_mode, exhaustive) => {
  let database: TestPostgres;
  let pool: pg.Pool;
  const ids = { A: `a-${randomUUID()}`, B: `b-${randomUUID()}`, C: `c-${randomUUID()}`, D: `d-"odd\\id"-${randomUUID()}` };
  let hashes: string[];
  let eventIds: string[];

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url, { max: 6 });
    await applySchema(pool);
    await fillFixture(new PostgresEventStore(pool), ids);
    const { rows } = await pool.query<{ hash: string; event_id: string }>(
      "SELECT encode(hash, 'hex') AS hash, event_id FROM events ORDER BY global_position",
    );
    hashes = rows.map((row) => row.hash);
    eventIds = rows.map((row) => row.event_id);
  });

  afterAll(async () => {
    await pool.end();
    await database.stop();
  });

  /** Tampers inside a transaction, verifies on that same connection, and rolls back: every test sees the clean log. */
  async function verifyTampered(statements: string[], options: VerifyHashChainsOptions = {}): Promise<HashChainVerdict> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const statement of statements) await client.query(statement);
      return await verifyHashChains(client, { batchSize: 4, exhaustive, ...options });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  /** The hash event_hash gives the event at `position` as it is stored now, chained to `previousPosition`'s hash. */
  const recomputed = (client: pg.ClientBase, position: number, previousPosition: number): Promise<string> =>
    client
      .query<{ hash: string }>(
        `SELECT encode(event_hash(p.hash, e.event_id, e.stream_id, e.stream_version, e.event_type, e.schema_version,
                                  e.data, e.metadata, e.recorded_at), 'hex') AS hash
           FROM events e, events p WHERE e.global_position = $1 AND p.global_position = $2`,
        [position, previousPosition],
      )
      .then((result) => result.rows[0]!.hash);

  const logDigest = (upTo: number): string => {
    const digest = createHash('sha256');
    for (const hash of hashes.slice(0, upTo)) digest.update(Buffer.from(hash, 'hex'));
    return digest.digest('hex');
  };

  it('finds every chain intact on a clean store, whatever the batch size, and anchors the whole log', async () => {
    for (const batchSize of [1, 2, 3, 5, 11, 12, 100]) {
      const verdict = await verifyHashChains(pool, { batchSize, concurrency: 3, exhaustive });
      expect(verdict).toEqual({ ok: true, eventsChecked: 12, throughPosition: 12n, brokenLinks: 0, anchor: { position: 12n, digest: logDigest(12) } });
    }
  });

  it('renders event_hash exactly, both inline forms, for every stored event, awkward data included', async () => {
    const previous = "COALESCE(p.hash, decode(repeat('00', 32), 'hex'))";
    const { rows } = await pool.query<{ fast: string; reference: string; events: string }>(
      `SELECT count(*) FILTER (WHERE ${canonicalEventHashSql(previous, 'e')} <> e.hash) AS fast,
              count(*) FILTER (WHERE ${referenceEventHashSql(previous, 'e')} <> e.hash) AS reference, count(*) AS events
         FROM events e LEFT JOIN events p ON p.stream_id = e.stream_id AND p.stream_version = e.stream_version - 1`,
    );
    expect(rows[0]).toEqual({ fast: '0', reference: '0', events: '12' });
  });

  it('reports progress after each batch, in global order', async () => {
    const seen: Array<[number, bigint]> = [];
    await verifyHashChains(pool, { batchSize: 5, exhaustive, onProgress: (p) => seen.push([p.eventsChecked, p.position]) });
    expect(seen).toEqual([
      [5, 5n],
      [10, 10n],
      [12, 12n],
    ]);
  });

  it.each([
    ['data', "UPDATE events SET data = jsonb_set(data, '{n}', '500') WHERE global_position = 5"],
    ['metadata', `UPDATE events SET metadata = jsonb_set(metadata, '{actor}', '{"system": "intruder"}') WHERE global_position = 5`],
    ['type', "UPDATE events SET event_type = 'Refunded' WHERE global_position = 5"],
    ['recorded time (by one microsecond)', "UPDATE events SET recorded_at = recorded_at + interval '1 microsecond' WHERE global_position = 5"],
    ['schema version', 'UPDATE events SET schema_version = 2 WHERE global_position = 5'],
    ['event id', `UPDATE events SET event_id = '${randomUUID()}' WHERE global_position = 5`],
  ])('names an event whose %s was edited, with the recomputed and the stored hash', async (_what, statement) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(statement);
      const verdict = await verifyHashChains(client, { batchSize: 4, exhaustive });
      expect(verdict).toMatchObject({ ok: false, eventsChecked: 12, brokenLinks: 1 });
      expect(verdict.firstBroken).toMatchObject({
        reason: 'hash_mismatch',
        streamId: ids.A,
        streamVersion: 2n,
        globalPosition: 5n,
        expectedHash: await recomputed(client, 5, 1),
        actualHash: hashes[4],
        previousVersion: 1n,
        previousPosition: 1n,
      });
      expect(verdict.firstBroken!.expectedHash).not.toBe(hashes[4]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('is not fooled by an event_hash function redefined to answer the stored hashes', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`CREATE OR REPLACE FUNCTION event_hash(
          previous_hash bytea, event_id uuid, stream_id text, stream_version bigint, event_type text,
          schema_version integer, data jsonb, metadata jsonb, recorded_at timestamptz
        ) RETURNS bytea LANGUAGE sql STABLE AS $$ SELECT e.hash FROM events e WHERE e.event_id = $2 $$`);
      await client.query("UPDATE events SET data = '{}' WHERE global_position = 5");
      // The rigged function does vouch for the edited event: only a verifier that does not call it can see the edit.
      expect(await recomputed(client, 5, 1)).toBe(hashes[4]);
      const verdict = await verifyHashChains(client, { batchSize: 4, exhaustive });
      expect(verdict.firstBroken).toMatchObject({ reason: 'hash_mismatch', globalPosition: 5n, actualHash: hashes[4] });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('names an edited stored hash at the edited event (and counts the next link of its stream, which chains to it)', async () => {
    const forged = createHash('sha256').update('forged').digest('hex');
    const verdict = await verifyTampered([`UPDATE events SET hash = '\\x${forged}' WHERE global_position = 5`]);
    expect(verdict).toMatchObject({ ok: false, brokenLinks: 2 });
    expect(verdict.firstBroken).toMatchObject({ reason: 'hash_mismatch', globalPosition: 5n, expectedHash: hashes[4], actualHash: forged });
  });

  it('names the hole a deleted event leaves in the global log, at the event right after it', async () => {
    const verdict = await verifyTampered(['DELETE FROM events WHERE global_position = 5']);
    // The hole (at 6) and A3, whose previous stored event is now A1.
    expect(verdict).toMatchObject({ ok: false, eventsChecked: 11, brokenLinks: 2 });
    expect(verdict.firstBroken).toMatchObject({ reason: 'position_gap', streamId: ids.C, globalPosition: 6n, eventId: eventIds[5], priorPosition: 4n });
  });

  it('names a deleted event even when the positions after it were closed up, at its stream’s next event', async () => {
    const verdict = await verifyTampered([
      'DELETE FROM events WHERE global_position = 5',
      'UPDATE events SET global_position = -global_position WHERE global_position > 5',
      'UPDATE events SET global_position = -global_position - 1 WHERE global_position < 0',
    ]);
    expect(verdict.firstBroken).toMatchObject({
      reason: 'version_gap',
      streamId: ids.A,
      streamVersion: 3n,
      globalPosition: 7n,
      previousVersion: 1n,
      actualHash: hashes[7],
    });
    expect(verdict.firstBroken!.expectedHash).not.toBe(hashes[7]);
  });

  it('names a deleted last event of a stream by the hole it leaves, and counts the stream head that lost its event', async () => {
    const verdict = await verifyTampered(['DELETE FROM events WHERE global_position = 9']);
    expect(verdict).toMatchObject({ ok: false, brokenLinks: 2 });
    expect(verdict.firstBroken).toMatchObject({ reason: 'position_gap', globalPosition: 10n });
  });

  it('names the stream head whose event was deleted from the very end of the log', async () => {
    const verdict = await verifyTampered(['DELETE FROM events WHERE global_position = 12']);
    expect(verdict).toMatchObject({ ok: false, eventsChecked: 11, throughPosition: 11n, brokenLinks: 1 });
    expect(verdict.firstBroken).toEqual({
      reason: 'head_missing',
      streamId: ids.D,
      streamVersion: 2n,
      globalPosition: null,
      eventId: null,
      expectedHash: hashes[11],
      actualHash: null,
      previousVersion: 1n,
      previousPosition: 7n,
      priorPosition: null,
      headVersion: 2n,
    });
  });

  it('names a renumbered event (its stream version changed)', async () => {
    const verdict = await verifyTampered([`UPDATE events SET stream_version = 7 WHERE global_position = 8`]);
    expect(verdict.firstBroken).toMatchObject({ reason: 'version_gap', streamId: ids.A, streamVersion: 7n, globalPosition: 8n, previousVersion: 4n });
  });

  it('names two events of a stream whose places in the global log were swapped', async () => {
    const verdict = await verifyTampered([
      'UPDATE events SET global_position = -5 WHERE global_position = 5',
      'UPDATE events SET global_position = 5 WHERE global_position = 8',
      'UPDATE events SET global_position = 8 WHERE global_position = -5',
    ]);
    expect(verdict.firstBroken).toMatchObject({ reason: 'out_of_order', streamId: ids.A, streamVersion: 3n, globalPosition: 5n, previousPosition: 8n });
  });

  it('names a duplicated event (a copied row, once the unique constraints were dropped) at its first copy', async () => {
    const verdict = await verifyTampered([
      'ALTER TABLE events DROP CONSTRAINT events_stream_version_unique',
      'ALTER TABLE events DROP CONSTRAINT events_event_id_key',
      `INSERT INTO events SELECT 13, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at, hash
         FROM events WHERE global_position = 5`,
    ]);
    expect(verdict).toMatchObject({ ok: false, eventsChecked: 13, throughPosition: 13n });
    expect(verdict.firstBroken).toMatchObject({ reason: 'duplicate_version', streamId: ids.A, streamVersion: 2n, globalPosition: 5n, previousPosition: 13n });
  });

  it('names a stream head whose recorded last hash was edited, at the head event', async () => {
    const forged = createHash('sha256').update('head').digest('hex');
    const verdict = await verifyTampered([`UPDATE streams SET last_hash = '\\x${forged}' WHERE stream_id = '${ids.A}'`]);
    expect(verdict).toMatchObject({ ok: false, brokenLinks: 1 });
    expect(verdict.firstBroken).toMatchObject({ reason: 'head_mismatch', streamId: ids.A, streamVersion: 4n, globalPosition: 10n, expectedHash: forged, actualHash: hashes[9] });
  });

  it('names an event forged onto the end of a chain (correctly hashed) that the stream head does not know', async () => {
    const forgedId = randomUUID();
    const verdict = await verifyTampered([
      `INSERT INTO events
       SELECT 13, '${forgedId}', stream_id, 5, 'Changed', 1, '{"n": 13}', metadata, now(),
              event_hash(hash, '${forgedId}', stream_id, 5, 'Changed', 1, '{"n": 13}', metadata, now())
         FROM events WHERE global_position = 10`,
    ]);
    expect(verdict.firstBroken).toMatchObject({ reason: 'head_mismatch', streamId: ids.A, streamVersion: 5n, globalPosition: 13n, headVersion: 4n });
  });

  /** A rewrite of A4 with its hash and the stream head recomputed: every link is valid again. */
  const consistentRewrite = [
    `UPDATE events SET data = '{"n": 1000}' WHERE global_position = 10`,
    `UPDATE events e SET hash = event_hash(p.hash, e.event_id, e.stream_id, e.stream_version, e.event_type, e.schema_version,
                                          e.data, e.metadata, e.recorded_at)
       FROM events p WHERE e.global_position = 10 AND p.global_position = 8`,
    `UPDATE streams s SET last_hash = e.hash FROM events e WHERE e.global_position = 10 AND s.stream_id = e.stream_id`,
  ];

  it('cannot see a chain rewritten consistently (events and head): the limit an anchor kept elsewhere closes', async () => {
    const verdict = await verifyTampered(consistentRewrite);
    expect(verdict).toMatchObject({ ok: true, brokenLinks: 0 });
    expect(verdict.anchor.digest).not.toBe(logDigest(12));
  });

  it('fails an anchor taken before a consistent rewrite, and still passes one taken before the rewritten event', async () => {
    const late = await verifyTampered(consistentRewrite, { expectAnchor: { position: 12n, digest: logDigest(12) } });
    expect(late).toMatchObject({ ok: false, brokenLinks: 0, anchorCheck: { position: 12n, expected: logDigest(12), matches: false } });
    const early = await verifyTampered(consistentRewrite, { expectAnchor: { position: 9n, digest: logDigest(9) } });
    expect(early).toMatchObject({ ok: true, anchorCheck: { position: 9n, actual: logDigest(9), matches: true } });
  });

  it('fails an anchor the log no longer reaches (its end was deleted)', async () => {
    const verdict = await verifyTampered(['DELETE FROM events WHERE global_position >= 11'], { expectAnchor: { position: 12n, digest: logDigest(12) } });
    expect(verdict.anchorCheck).toEqual({ position: 12n, expected: logDigest(12), actual: null, matches: false });
    expect(verdict.ok).toBe(false);
  });
});

describe('verifyHashChains over a pool with batches in flight (real Postgres)', () => {
  let database: TestPostgres;
  let pool: pg.Pool;
  const STREAMS = 20;
  const EVENTS = 300;

  beforeAll(async () => {
    database = await startTestPostgres();
    pool = createPool(database.url, { max: 8 });
    await applySchema(pool);
    const store = new PostgresEventStore(pool);
    const streams = Array.from({ length: STREAMS }, () => `s-${randomUUID()}`);
    // Concurrent writers, so group commit mixes streams within its transactions.
    await Promise.all(
      streams.map(async (stream, s) => {
        for (let i = 0; i < EVENTS / STREAMS; i++) await store.appendToStream(stream, 'any', [event('Tick', s * 1000 + i)]);
      }),
    );
  });

  afterAll(async () => {
    await pool.end();
    await database.stop();
  });

  it('verifies every event and names the first broken link in global order, not the first batch to finish', async () => {
    expect(await verifyHashChains(pool, { batchSize: 7, concurrency: 4 })).toMatchObject({ ok: true, eventsChecked: EVENTS, brokenLinks: 0 });
    expect(await verifyHashChains(pool, { batchSize: 7, concurrency: 4, exhaustive: true })).toMatchObject({ ok: true, eventsChecked: EVENTS });
    // Later batches are cheaper to finish first: the tampered 290 and 250 must not win over 123.
    await pool.query("UPDATE events SET data = '{}' WHERE global_position IN (123, 250, 290)");
    const verdict = await verifyHashChains(pool, { batchSize: 7, concurrency: 4 });
    expect(verdict).toMatchObject({ ok: false, eventsChecked: EVENTS, brokenLinks: 3, firstBroken: { reason: 'hash_mismatch', globalPosition: 123n } });
  });
});
