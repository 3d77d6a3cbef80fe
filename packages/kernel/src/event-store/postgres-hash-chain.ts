import { createHash } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';

/**
 * Hash-chain verification of the Postgres event store: a set-based job, not an event-store port operation (only
 * this adapter chains hashes in SQL). Every event is checked against its stream's previous stored event with the
 * expression the append used (`event_hash`, 0100-event-store.sql), in batches of global positions, so memory stays bounded and
 * the work is all inside PostgreSQL (one row per batch comes back).
 *
 * What one event's link must satisfy, in the order the reasons are tried:
 * - `position_gap`: global positions are dense (appends are serialised, 0100-event-store.sql), so a hole before an event means
 *   an event was deleted from the log.
 * - `duplicate_version`: no other stored event has the same stream and version (a copied row).
 * - `version_gap`: the stream's previous stored event is version v − 1 (none for v = 1): nothing deleted or renumbered.
 * - `out_of_order`: the previous version sits earlier in the global log.
 * - `hash_mismatch`: the stored hash is sha256(previous stored hash, or 32 zero bytes ‖ this event as stored):
 *   any edit of id, stream, version, type, schema version, data, metadata, recorded time or the stored hash shows.
 * - `head_mismatch`: the `streams` row agrees: the event is not past the stream's recorded head (a forged event
 *   appended to a chain shows here), and the head version's event carries the recorded last hash.
 * And once per stream, after the events: `head_missing`: the recorded head version has a stored event (a deleted
 * tail shows here, even when it was the very end of the log).
 *
 * The global position is not part of the hash: swapping the positions of two events of different streams keeps
 * every link valid (only density and each stream's own order are checked); a log anchor covers it. See
 * docs/audit.md.
 *
 * Speed: the previous event of most links is found inside the batch (a window over its narrow columns), which is
 * exact as long as the unique index on (stream_id, stream_version) stands, so the verifier checks that it does, and
 * probes every link when it does not. The hash is recomputed by a cheaper, equivalent rendering of event_hash,
 * falling back to event_hash's own expression on any mismatch (canonicalEventHashSql); never by calling the schema's
 * event_hash function, which whoever can change the schema could redefine.
 */

export type BrokenLinkReason =
  | 'position_gap'
  | 'duplicate_version'
  | 'version_gap'
  | 'out_of_order'
  | 'hash_mismatch'
  | 'head_mismatch'
  | 'head_missing';

export interface BrokenLink {
  reason: BrokenLinkReason;
  streamId: string;
  streamVersion: bigint;
  /** The event's global position and id; null for `head_missing` (the link names the event that is not there). */
  globalPosition: bigint | null;
  eventId: string | null;
  /** Recomputed from the previous stored hash and the event as stored (for `head_*`: the head's recorded hash). */
  expectedHash: string;
  /** The hash stored with the event; null for `head_missing`. */
  actualHash: string | null;
  /** The neighbours the verdict rests on (for `head_missing`: the stream's last stored event), for the message. */
  previousVersion: bigint | null;
  previousPosition: bigint | null;
  /** The stored global position right before this event's (for `position_gap`: where the hole starts after). */
  priorPosition: bigint | null;
  headVersion: bigint | null;
}

/**
 * A digest of the log through `position`: sha256 over the stored hashes of events 1..position, concatenated in
 * global order. Each stored hash is bound to its event (and its stream's past) by the chain check, so a matching
 * anchor proves the log up to `position` is exactly what it was when the anchor was taken, global order included.
 * It only helps when kept outside the database (an attacker who can rewrite the log can rewrite its anchors too).
 */
export interface LogAnchor {
  position: bigint;
  /** Hex sha256. */
  digest: string;
}

export interface AnchorCheck {
  position: bigint;
  expected: string;
  /** The digest the log has now at that position; null when the log no longer reaches it. */
  actual: string | null;
  matches: boolean;
}

export interface HashChainVerdict {
  /** No broken link, and the anchor (when one was given) matches. */
  ok: boolean;
  eventsChecked: number;
  /** Every event at or below this position was checked (the store head when the verification started). */
  throughPosition: bigint;
  /** Events (and stream heads) that failed a check; 0 when ok. */
  brokenLinks: number;
  /** The first broken link in global order (stream heads after every event). */
  firstBroken?: BrokenLink;
  /** The anchor of the log as verified: write it down elsewhere, check it at a later verification. */
  anchor: LogAnchor;
  anchorCheck?: AnchorCheck;
}

export interface VerifyProgress {
  eventsChecked: number;
  /** Checked through this position so far. */
  position: bigint;
  throughPosition: bigint;
  brokenLinks: number;
}

export interface VerifyHashChainsOptions {
  /** Global positions per batch (one statement each). */
  batchSize?: number;
  /** Batches in flight at once, each on its own pooled connection; results are still taken in global order. */
  concurrency?: number;
  /** Probe every link's previous event even where the batch itself holds it (the slow path; tests compare both). */
  exhaustive?: boolean;
  /** An anchor taken earlier: the log's digest at its position must still be the same. */
  expectAnchor?: LogAnchor;
  onProgress?: (progress: VerifyProgress) => void;
}

/** A pool, or one client (a transaction): what the verification queries run on. */
export type Queryable = pg.Pool | pg.ClientBase;

const DEFAULT_BATCH_SIZE = 10_000;
const DEFAULT_CONCURRENCY = 2;
const ZERO_HASH = "decode(repeat('00', 32), 'hex')";

/**
 * The half-open position ranges (after, upTo] a verification through `through` checks, in global order, each at
 * most `batchSize` long; `cut` (an anchor's position) always ends a range, so the digest at it can be taken.
 */
export function* positionRanges(through: bigint, batchSize: number, cut?: bigint): Generator<{ after: bigint; upTo: bigint }> {
  if (batchSize < 1) throw new RangeError('batchSize must be at least 1');
  const step = BigInt(batchSize);
  for (let after = 0n; after < through; ) {
    const gridLine = (after / step + 1n) * step;
    let upTo = gridLine < through ? gridLine : through;
    if (cut !== undefined && after < cut && cut < upTo) upTo = cut;
    yield { after, upTo };
    after = upTo;
  }
}

/**
 * Runs tasks with at most `concurrency` in flight and hands their results to `onResult` strictly in task order,
 * so a caller sees batch k only after every batch before it.
 */
export async function runInOrder<T>(tasks: Iterable<() => Promise<T>>, concurrency: number, onResult: (result: T) => void): Promise<void> {
  if (concurrency < 1) throw new RangeError('concurrency must be at least 1');
  const iterator = tasks[Symbol.iterator]();
  const inFlight: Array<Promise<T>> = [];
  const launch = (): void => {
    const next = iterator.next();
    if (next.done) return;
    const promise = next.value();
    // Awaited when its turn comes; until then a rejection must not count as unhandled.
    promise.catch(() => undefined);
    inFlight.push(promise);
  };
  for (let i = 0; i < concurrency; i++) launch();
  while (inFlight.length > 0) {
    const result = await inFlight.shift()!;
    launch();
    onResult(result);
  }
}

/**
 * event_hash (0100-event-store.sql) written out inline: the verifier relies on PostgreSQL's built-in functions only, never on a
 * function in the schema that whoever can change the schema could redefine to answer the stored hashes.
 * A test keeps it equal to event_hash (postgres-hash-chain.int.test.ts); change both together.
 */
export const referenceEventHashSql = (previousHash: string, e: string): string =>
  `sha256(${previousHash} || convert_to(jsonb_build_object(
     'eventId', ${e}.event_id, 'streamId', ${e}.stream_id, 'streamVersion', ${e}.stream_version, 'type', ${e}.event_type,
     'schemaVersion', ${e}.schema_version, 'data', ${e}.data, 'metadata', ${e}.metadata,
     'recordedAt', (extract(epoch FROM ${e}.recorded_at) * 1000000)::bigint)::text, 'UTF8'))`;

/**
 * The same hash as text concatenation: sha256(previous ‖ the canonical jsonb text of the event), written out in
 * jsonb's own key order (by length, then bytes) with each value rendered by the same jsonb/json output functions.
 * Building a jsonb only to print it costs about three times as much, and verification pays that for every event of
 * the store. A link whose stored hash this does not reproduce is recomputed with the reference form before it is
 * called broken, so a rendering difference could only cost time (a match is a proof on its own: the text is an
 * injective rendering of the event's fields).
 */
export const canonicalEventHashSql = (previousHash: string, e: string): string =>
  `sha256(${previousHash} || convert_to('{"data": ' || ${e}.data::text || ', "type": ' || to_json(${e}.event_type)::text
     || ', "eventId": "' || ${e}.event_id::text || '", "metadata": ' || ${e}.metadata::text
     || ', "streamId": ' || to_json(${e}.stream_id)::text
     || ', "recordedAt": ' || ((extract(epoch FROM ${e}.recorded_at) * 1000000)::bigint)::text
     || ', "schemaVersion": ' || ${e}.schema_version::text || ', "streamVersion": ' || ${e}.stream_version::text || '}', 'UTF8'))`;

// One statement per batch. Each event of (after, upTo] is joined to its stream's previous stored event and to its
// stream's head row; only the counts, the batch's hashes and the first broken event come back.
// The previous stored event: when the batch itself holds the stream's version v − 1 at an earlier position (found
// by a window over the batch's narrow columns, sorted by stream), that is it, provided no version can be stored twice
// ($3: the unique index on (stream_id, stream_version) stands, checked by the caller). Otherwise, or when $3 is
// false, one index probe: the two highest versions at or below the event's own, i.e. itself and the one before (or
// a duplicate). The probe is what costs (~10 µs); the window spares it for all but each stream's first event of a batch.
// The wide columns (data, metadata) are read once and never sorted or materialised.
const VERIFY_BATCH_SQL = `
WITH neighbours AS MATERIALIZED (
  SELECT n.global_position, n.stream_version, n.prior_position,
         lag(n.stream_version) OVER by_stream AS batch_version, lag(n.global_position) OVER by_stream AS batch_position,
         lag(n.hash) OVER by_stream AS batch_hash
    FROM (
      SELECT o.global_position, o.stream_id, o.stream_version, o.hash,
             COALESCE(lag(o.global_position) OVER (ORDER BY o.global_position),
                      (SELECT COALESCE(max(global_position), 0) FROM events WHERE global_position <= $1)) AS prior_position
        FROM events o
       WHERE o.global_position > $1 AND o.global_position <= $2
    ) n
  WINDOW by_stream AS (PARTITION BY n.stream_id COLLATE "C" ORDER BY n.stream_version, n.global_position)
), judged AS (
  SELECT c.*,
         CASE
           WHEN c.global_position <> c.prior_position + 1 THEN 'position_gap'
           WHEN c.previous_version = c.stream_version THEN 'duplicate_version'
           WHEN COALESCE(c.previous_version, 0) <> c.stream_version - 1 THEN 'version_gap'
           WHEN c.previous_position > c.global_position THEN 'out_of_order'
           WHEN c.expected_hash IS DISTINCT FROM c.actual_hash THEN 'hash_mismatch'
           WHEN c.head_version IS NULL OR c.stream_version > c.head_version
                OR (c.stream_version = c.head_version AND c.actual_hash IS DISTINCT FROM c.head_hash) THEN 'head_mismatch'
         END AS reason
    FROM (
      SELECT e.global_position, e.event_id, e.stream_id, e.stream_version, e.hash AS actual_hash, nb.prior_position,
             CASE WHEN fast.hash = e.hash THEN fast.hash ELSE ${referenceEventHashSql(`COALESCE(p.hash, ${ZERO_HASH})`, 'e')} END AS expected_hash,
             p.stream_version AS previous_version, p.global_position AS previous_position,
             s.version AS head_version, s.last_hash AS head_hash
        FROM events e
        JOIN neighbours nb ON nb.global_position = e.global_position
        LEFT JOIN LATERAL (
          SELECT nb.batch_version AS stream_version, nb.batch_position AS global_position, nb.batch_hash AS hash
           WHERE $3::boolean AND nb.batch_version = nb.stream_version - 1 AND nb.batch_position < nb.global_position
          UNION ALL
          SELECT x.stream_version, x.global_position, x.hash
            FROM (SELECT y.stream_version, y.global_position, y.hash FROM events y
                   WHERE y.stream_id = e.stream_id AND y.stream_version <= e.stream_version
                   ORDER BY y.stream_version DESC LIMIT 2) x
           WHERE x.global_position <> e.global_position
          -- The first branch when it answers: the probe below it then never runs.
          LIMIT 1
        ) p ON true
        -- OFFSET 0 keeps the subquery from being flattened, which would compute the hash twice (compare, then answer).
        CROSS JOIN LATERAL (SELECT ${canonicalEventHashSql(`COALESCE(p.hash, ${ZERO_HASH})`, 'e')} AS hash OFFSET 0) fast
        LEFT JOIN streams s ON s.stream_id = e.stream_id
       WHERE e.global_position > $1 AND e.global_position <= $2
    ) c
), counts AS (
  SELECT count(*) AS checked, count(*) FILTER (WHERE reason IS NOT NULL) AS broken,
         string_agg(actual_hash, ''::bytea ORDER BY global_position) AS hashes
    FROM judged
)
SELECT counts.checked, counts.broken, counts.hashes, f.reason, f.stream_id, f.stream_version, f.global_position, f.event_id,
       encode(f.expected_hash, 'hex') AS expected_hash, encode(f.actual_hash, 'hex') AS actual_hash,
       f.previous_version, f.previous_position, f.prior_position, f.head_version, encode(f.head_hash, 'hex') AS head_hash
  FROM counts
  LEFT JOIN LATERAL (SELECT * FROM judged WHERE reason IS NOT NULL ORDER BY global_position LIMIT 1) f ON true`;

// Whether a stream version can be stored only once: a valid, non-partial unique index on exactly
// (stream_id, stream_version) of events. Without it (dropped, say, to copy rows) every link is probed.
const UNIQUE_VERSIONS_SQL = `
SELECT EXISTS (
  SELECT 1 FROM pg_index i
   WHERE i.indrelid = 'events'::regclass AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
     AND i.indnkeyatts = 2
     AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
            FROM unnest(i.indkey[0:1]) k(attnum) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
         = ARRAY['stream_id', 'stream_version']
) AS unique_versions`;

// Once per stream: the recorded head version must have a stored event. (A head whose event exists but carries
// another hash, or events past the head, are caught per event above.)
const VERIFY_HEADS_SQL = `
WITH missing AS (
  SELECT s.stream_id, s.version, s.last_hash, l.stream_version AS last_version, l.global_position
    FROM streams s
    LEFT JOIN LATERAL (
      SELECT e.stream_version, e.global_position FROM events e
       WHERE e.stream_id = s.stream_id ORDER BY e.stream_version DESC LIMIT 1
    ) l ON true
   WHERE l.stream_version IS NULL OR l.stream_version < s.version
)
SELECT (SELECT count(*) FROM missing) AS broken, f.stream_id, f.version, encode(f.last_hash, 'hex') AS head_hash,
       f.last_version, f.global_position
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (SELECT * FROM missing ORDER BY global_position NULLS FIRST, stream_id LIMIT 1) f ON true`;

const Int8 = z.union([z.string(), z.number()]).transform((value) => BigInt(value));
const NullableInt8 = Int8.nullable();
const Reason = z.enum(['position_gap', 'duplicate_version', 'version_gap', 'out_of_order', 'hash_mismatch', 'head_mismatch']);

const BatchRow = z.object({
  checked: Int8,
  broken: Int8,
  hashes: z.instanceof(Buffer).nullable(),
  reason: Reason.nullable(),
  stream_id: z.string().nullable(),
  stream_version: NullableInt8,
  global_position: NullableInt8,
  event_id: z.string().nullable(),
  expected_hash: z.string().nullable(),
  actual_hash: z.string().nullable(),
  previous_version: NullableInt8,
  previous_position: NullableInt8,
  prior_position: NullableInt8,
  head_version: NullableInt8,
  head_hash: z.string().nullable(),
});

const HeadsRow = z.object({
  broken: Int8,
  stream_id: z.string().nullable(),
  version: NullableInt8,
  head_hash: z.string().nullable(),
  last_version: NullableInt8,
  global_position: NullableInt8,
});

interface BatchVerdict {
  checked: number;
  broken: number;
  upTo: bigint;
  /** The batch's stored hashes, concatenated in global order (for the log digest). */
  hashes: Buffer;
  firstBroken?: BrokenLink;
}

async function verifyBatch(db: Queryable, after: bigint, upTo: bigint, trustNeighbours: boolean): Promise<BatchVerdict> {
  const { rows } = await db.query({
    name: 'verify_hash_chain_batch',
    text: VERIFY_BATCH_SQL,
    values: [after.toString(), upTo.toString(), trustNeighbours],
  });
  const row = BatchRow.parse(rows[0]);
  const verdict: BatchVerdict = { checked: Number(row.checked), broken: Number(row.broken), upTo, hashes: row.hashes ?? Buffer.alloc(0) };
  if (row.reason === null) return verdict;
  const link: BrokenLink = {
    reason: row.reason,
    streamId: row.stream_id!,
    streamVersion: row.stream_version!,
    globalPosition: row.global_position,
    eventId: row.event_id,
    // A head mismatch is about the recorded head: what it says the chain ends with, against what is stored.
    expectedHash: row.reason === 'head_mismatch' && row.head_hash !== null ? row.head_hash : row.expected_hash!,
    actualHash: row.actual_hash,
    previousVersion: row.previous_version,
    previousPosition: row.previous_position,
    priorPosition: row.prior_position,
    headVersion: row.head_version,
  };
  return { ...verdict, firstBroken: link };
}

async function verifyHeads(db: Queryable): Promise<{ broken: number; firstBroken?: BrokenLink }> {
  const { rows } = await db.query({ name: 'verify_hash_chain_heads', text: VERIFY_HEADS_SQL });
  const row = HeadsRow.parse(rows[0]);
  if (row.stream_id === null) return { broken: 0 };
  return {
    broken: Number(row.broken),
    // The missing link itself: the head version has no event; its predecessor is the stream's last stored event.
    firstBroken: {
      reason: 'head_missing',
      streamId: row.stream_id,
      streamVersion: row.version!,
      globalPosition: null,
      eventId: null,
      expectedHash: row.head_hash!,
      actualHash: null,
      previousVersion: row.last_version,
      previousPosition: row.global_position,
      priorPosition: null,
      headVersion: row.version,
    },
  };
}

/** The store head: the highest global position (positions are dense, so also the number of events). */
export async function readStoreHead(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ position: string }>({
    name: 'store_head_position',
    text: 'SELECT COALESCE(max(global_position), 0)::text AS position FROM events',
  });
  return BigInt(rows[0]?.position ?? '0');
}

async function versionsAreUnique(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ unique_versions: boolean }>({ name: 'verify_unique_versions', text: UNIQUE_VERSIONS_SQL });
  return rows[0]?.unique_versions === true;
}

/**
 * Recomputes every hash chain of the store through its head at the start. A broken chain is a verdict, not an
 * error: the result names the first broken link in global order and counts every broken one. Events appended
 * while it runs are beyond its head and not checked; the stream heads are read at the end.
 * `db` is a pool (batches run on `concurrency` connections) or one client (batches run one after another on it).
 */
export async function verifyHashChains(db: Queryable, options: VerifyHashChainsOptions = {}): Promise<HashChainVerdict> {
  const throughPosition = await readStoreHead(db);
  // Trusting in-batch neighbours needs versions to be unique; if the index went away while we ran, the pass that
  // trusted it is worth nothing: run again, probing every link.
  const trusted = !options.exhaustive && (await versionsAreUnique(db));
  const pass = await verifyEvents(db, throughPosition, trusted, options);
  const events = trusted && !(await versionsAreUnique(db)) ? await verifyEvents(db, throughPosition, false, options) : pass;
  const heads = await verifyHeads(db);
  const brokenLinks = events.brokenLinks + heads.broken;
  const firstBroken = events.firstBroken ?? heads.firstBroken;
  const expected = options.expectAnchor;
  const anchorCheck = expected && checkAnchor(expected, expected.position === 0n ? EMPTY_LOG_DIGEST : events.anchorDigest);
  return {
    ok: brokenLinks === 0 && (anchorCheck?.matches ?? true),
    eventsChecked: events.eventsChecked,
    throughPosition,
    brokenLinks,
    ...(firstBroken ? { firstBroken } : {}),
    anchor: { position: throughPosition, digest: events.digest },
    ...(anchorCheck ? { anchorCheck } : {}),
  };
}

interface EventsPass {
  eventsChecked: number;
  brokenLinks: number;
  firstBroken?: BrokenLink;
  /** The log digest through the whole pass, and at the expected anchor's position. */
  digest: string;
  anchorDigest?: string;
}

async function verifyEvents(db: Queryable, throughPosition: bigint, trustNeighbours: boolean, options: VerifyHashChainsOptions): Promise<EventsPass> {
  const anchorPosition = options.expectAnchor?.position;
  const digest = createHash('sha256');
  const pass: Omit<EventsPass, 'digest'> = { eventsChecked: 0, brokenLinks: 0 };
  const ranges = positionRanges(throughPosition, options.batchSize ?? DEFAULT_BATCH_SIZE, anchorPosition);
  const tasks = (function* () {
    for (const { after, upTo } of ranges) yield () => verifyBatch(db, after, upTo, trustNeighbours);
  })();
  await runInOrder(tasks, options.concurrency ?? DEFAULT_CONCURRENCY, (batch) => {
    pass.eventsChecked += batch.checked;
    pass.brokenLinks += batch.broken;
    pass.firstBroken ??= batch.firstBroken;
    digest.update(batch.hashes);
    // Ranges always end at the anchor's position: the running digest there is the anchor's.
    if (batch.upTo === anchorPosition) pass.anchorDigest = digest.copy().digest('hex');
    options.onProgress?.({ eventsChecked: pass.eventsChecked, position: batch.upTo, throughPosition, brokenLinks: pass.brokenLinks });
  });
  return { ...pass, digest: digest.digest('hex') };
}

/** The digest of a log with no events. */
export const EMPTY_LOG_DIGEST = createHash('sha256').digest('hex');

export function checkAnchor(expected: LogAnchor, actual: string | undefined): AnchorCheck {
  return { position: expected.position, expected: expected.digest, actual: actual ?? null, matches: actual === expected.digest.toLowerCase() };
}
