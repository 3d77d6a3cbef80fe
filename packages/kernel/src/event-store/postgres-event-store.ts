import pg from 'pg';
import { z } from 'zod';
import { listenForNotifications } from '../postgres/notifications.js';
import {
  assertValidAppends,
  EventMetadataSchema,
  IdempotencyKeyTaken,
  VersionConflict,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type IdempotencyClaim,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
  type Snapshot,
  type StreamAppend,
  type StreamMetadata,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port.js';
import { catchUpSubscription } from './catch-up-subscription.js';
import { GroupCommit } from './group-commit.js';
import { upcast, type Upcasters } from './upcasting.js';

const VERSION_CONFLICT_SQLSTATE = 'SH409';
/** The channel the append functions notify at every commit, with the last global position. */
export const EVENTS_CHANNEL = 'shop_events';

const ConflictDetail = z.object({ expected: z.string(), actual: z.number() });

// recorded_at as epoch milliseconds: building a Date from a number is far cheaper than pg's timestamptz parser.
const eventColumns = (t: string): string => `${t}.global_position, ${t}.event_id, ${t}.stream_id, ${t}.stream_version,
  ${t}.event_type, ${t}.schema_version, ${t}.data, ${t}.metadata, (extract(epoch FROM ${t}.recorded_at) * 1000)::float8,
  encode(${t}.hash, 'hex')`;
const EVENT_COLUMNS = eventColumns('events');
// Truncated (and soft-deleted) versions are hidden: a stream read starts at its truncate_before at the earliest.
const lowerBound = (stream: string, from: string): string =>
  `GREATEST(${from}, COALESCE((SELECT s.truncate_before FROM streams s WHERE s.stream_id = ${stream}), 1))`;

interface ForwardRead {
  streamId: string;
  fromVersion: bigint;
}

/** Rows come back as arrays (`rowMode: 'array'`), in EVENT_COLUMNS order: no object built per row and column. */
type EventRow = [
  globalPosition: string,
  eventId: string,
  streamId: string,
  streamVersion: string,
  type: string,
  schemaVersion: number,
  data: Record<string, unknown>,
  metadata: unknown,
  recordedAtMs: number,
  hash: string,
];

/** One group-commit item: an atomic multi-stream append, with the idempotency claim that guards it, if any. */
interface AppendItem {
  appends: readonly StreamAppend[];
  claim: IdempotencyClaim | undefined;
}

interface AppendRow {
  item: number;
  stream_id: string;
  outcome: 'appended' | 'duplicate' | 'conflict' | 'skipped' | 'claim_taken';
  next_version: string | null;
  last_position: string | null;
  actual_version: string | null;
}

const expectedToText = (expected: ExpectedVersion): string => (typeof expected === 'bigint' ? expected.toString() : expected);

const isPgError = (error: unknown): error is Error & { code: string; detail?: string } =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string';

export interface PostgresEventStoreOptions {
  upcasters?: Upcasters;
  /** Most items one group-commit transaction carries. */
  maxBatchSize?: number;
}

/**
 * The default event store. Appends go through group commit: concurrent appends share one call of the SQL
 * function `append_streams` (0100-event-store.sql) — one round trip, one transaction, dense positions committed in order.
 */
export class PostgresEventStore implements EventStore {
  /** The idempotency_keys table lives in this database: a claim is written in the append's transaction. */
  readonly claimsIdempotencyKeys = true;
  private readonly commits: GroupCommit<AppendItem, AppendResult[] | VersionConflict | IdempotencyKeyTaken>;
  private readonly reads: GroupCommit<ForwardRead, RecordedEvent[]>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    // Items of one batch never share a stream (append_streams' set-based statement then always applies) nor an
    // idempotency key (of two concurrent duplicates, exactly one claims it).
    this.commits = new GroupCommit(
      (items) => this.appendBatch(items),
      options.maxBatchSize ?? 256,
      ({ appends, claim }) => {
        const keys = appends.map((a) => a.streamId);
        if (claim) keys.push(`idempotency-key\u0000${claim.userId}\u0000${claim.key}`);
        return keys;
      },
    );
    // Whole-stream reads coalesce the same way: concurrent readers share one query (one round trip for many
    // streams); a lone reader's read goes out at once as a plain single-stream query.
    this.reads = new GroupCommit((items) => this.readStreamsBatch(items), 64);
  }

  /** Transactions written so far by group commit (tests and metrics). */
  get appendTransactions(): number {
    return this.commits.batchCount;
  }

  async appendToStream(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamId, expected, events }]);
    return result!;
  }

  async appendToStreams(appends: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult[]> {
    assertValidAppends(appends);
    const outcome = await this.commits.submit({ appends, claim: options.claim });
    if (outcome instanceof VersionConflict || outcome instanceof IdempotencyKeyTaken) throw outcome;
    return outcome;
  }

  private async appendBatch(items: readonly AppendItem[]): Promise<Array<AppendResult[] | VersionConflict | IdempotencyKeyTaken>> {
    // The batch as arrays, one entry per stream of each item and one per event (flattened in order): append_streams
    // (0100-event-store.sql) reads them by index instead of digging fields out of a jsonb document. Payloads travel as two JSON
    // arrays, which Postgres parses once each.
    const itemNos: number[] = [];
    const streamIds: string[] = [];
    const expected: string[] = [];
    const counts: number[] = [];
    const eventIds: string[] = [];
    const types: string[] = [];
    const schemaVersions: number[] = [];
    const data: unknown[] = [];
    const metadata: unknown[] = [];
    // Claims by item number (NULL where an item has none); no claim in the batch at all sends NULL arrays.
    const claims = items.map((item) => item.claim ?? null);
    const anyClaim = claims.some((claim) => claim !== null);
    items.forEach(({ appends }, index) => {
      for (const append of appends) {
        itemNos.push(index + 1);
        streamIds.push(append.streamId);
        expected.push(expectedToText(append.expected));
        counts.push(append.events.length);
        for (const event of append.events) {
          eventIds.push(event.eventId);
          types.push(event.type);
          schemaVersions.push(event.schemaVersion);
          data.push(event.data);
          metadata.push(event.metadata);
        }
      }
    });
    const { rows } = await this.pool.query<AppendRow>({
      name: 'append_streams',
      text: `SELECT item, stream_id, outcome, next_version, last_position, actual_version
               FROM append_streams($1::int[], $2::text[], $3::text[], $4::int[], $5::uuid[], $6::text[], $7::int[], $8::jsonb, $9::jsonb,
                                   $10::text[], $11::text[], $12::text[])`,
      values: [
        itemNos,
        streamIds,
        expected,
        counts,
        eventIds,
        types,
        schemaVersions,
        JSON.stringify(data),
        JSON.stringify(metadata),
        anyClaim ? claims.map((claim) => claim?.userId ?? null) : null,
        anyClaim ? claims.map((claim) => claim?.key ?? null) : null,
        anyClaim ? claims.map((claim) => claim?.requestHash ?? null) : null,
      ],
    });
    const byItem = new Map<number, AppendRow[]>();
    for (const row of rows) byItem.set(row.item, [...(byItem.get(row.item) ?? []), row]);
    return items.map(({ appends, claim }, index) => {
      const itemRows = byItem.get(index + 1) ?? [];
      if (claim && itemRows.some((r) => r.outcome === 'claim_taken')) return new IdempotencyKeyTaken(claim.userId, claim.key);
      const conflict = itemRows.find((r) => r.outcome === 'conflict');
      if (conflict) {
        const append = appends.find((a) => a.streamId === conflict.stream_id)!;
        return new VersionConflict(conflict.stream_id, append.expected, BigInt(conflict.actual_version ?? 0));
      }
      return appends.map((append) => {
        const row = itemRows.find((r) => r.stream_id === append.streamId);
        if (!row?.next_version || !row.last_position) throw new Error(`append_streams returned no result for ${append.streamId}`);
        return { nextVersion: BigInt(row.next_version), lastPosition: BigInt(row.last_position) };
      });
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.direction !== 'backwards' && options.maxCount === undefined) {
      return this.reads.submit({ streamId, fromVersion: options.fromVersion ?? 1n });
    }
    const backwards = options.direction === 'backwards';
    const result = await this.pool.query<EventRow>(
      backwards
        ? {
            rowMode: 'array',
            name: 'read_stream_backwards',
            text: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version <= $2
                     AND stream_version >= ${lowerBound('$1', '1')} ORDER BY stream_version DESC LIMIT $3`,
            values: [streamId, (options.fromVersion ?? BigInt(Number.MAX_SAFE_INTEGER)).toString(), options.maxCount ?? null],
          }
        : {
            rowMode: 'array',
            name: 'read_stream_forwards_limited',
            text: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= ${lowerBound('$1', '$2::bigint')}
                   ORDER BY stream_version LIMIT $3`,
            values: [streamId, (options.fromVersion ?? 1n).toString(), options.maxCount],
          },
    );
    return result.rows.map((row) => this.toRecordedEvent(row));
  }

  private async readStreamsBatch(items: ForwardRead[]): Promise<RecordedEvent[][]> {
    if (items.length === 1) {
      const [{ streamId, fromVersion }] = items as [ForwardRead];
      const result = await this.pool.query<EventRow>({
        rowMode: 'array',
        name: 'read_stream_forwards',
        text: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= ${lowerBound('$1', '$2::bigint')}
               ORDER BY stream_version`,
        values: [streamId, fromVersion.toString()],
      });
      return [result.rows.map((row) => this.toRecordedEvent(row))];
    }
    const result = await this.pool.query<[number, ...EventRow]>({
      rowMode: 'array',
      name: 'read_streams_forwards',
      text: `SELECT q.i::int, ${eventColumns('e')}
               FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS q(stream_id, from_version, i)
               JOIN events e ON e.stream_id = q.stream_id AND e.stream_version >= ${lowerBound('q.stream_id', 'q.from_version')}
              ORDER BY q.i, e.stream_version`,
      values: [items.map((item) => item.streamId), items.map((item) => item.fromVersion.toString())],
    });
    const answers: RecordedEvent[][] = items.map(() => []);
    for (const [i, ...row] of result.rows) answers[i - 1]!.push(this.toRecordedEvent(row));
    return answers;
  }

  async readAll(after: bigint, maxCount: number): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>({
      rowMode: 'array',
      name: 'read_all',
      text: `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      values: [after.toString(), maxCount],
    });
    return result.rows.map((row) => this.toRecordedEvent(row));
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return catchUpSubscription(options, (after, maxCount) => this.readAll(after, maxCount), async (wake, onError) => {
      const listener = await listenForNotifications({
        connectionString: connectionStringOf(this.pool),
        channel: EVENTS_CHANNEL,
        onNotification: wake,
        // Notifications sent while disconnected are lost: reading again covers them.
        onReconnect: wake,
        onError,
      });
      return () => listener.close();
    });
  }

  async readStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    const { rows } = await this.pool.query<{ version: string; truncate_before: string; deleted: boolean }>(
      'SELECT version, truncate_before, deleted FROM streams WHERE stream_id = $1',
      [streamId],
    );
    const row = rows[0];
    return row && { version: BigInt(row.version), truncateBefore: BigInt(row.truncate_before), deleted: row.deleted };
  }

  async truncateStream(streamId: string, before: bigint): Promise<void> {
    await this.pool.query('SELECT set_stream_truncate_before($1, $2)', [streamId, before.toString()]);
  }

  async deleteStream(streamId: string, expected: ExpectedVersion): Promise<void> {
    try {
      await this.pool.query('SELECT soft_delete_stream($1, $2)', [streamId, expectedToText(expected)]);
    } catch (error) {
      if (isPgError(error) && error.code === VERSION_CONFLICT_SQLSTATE) {
        const detail = ConflictDetail.parse(JSON.parse(error.detail ?? '{}'));
        throw new VersionConflict(streamId, expected, BigInt(detail.actual));
      }
      throw error;
    }
  }

  async readSnapshot(streamId: string): Promise<Snapshot | undefined> {
    const { rows } = await this.pool.query<{ version: string; schema_version: number; state: unknown }>({
      name: 'read_snapshot',
      text: 'SELECT version, schema_version, state FROM snapshots WHERE stream_id = $1',
      values: [streamId],
    });
    const row = rows[0];
    return row && { version: BigInt(row.version), schemaVersion: row.schema_version, state: row.state };
  }

  async writeSnapshot(streamId: string, snapshot: Snapshot): Promise<void> {
    await this.pool.query({
      name: 'write_snapshot',
      text: `INSERT INTO snapshots (stream_id, version, schema_version, state) VALUES ($1, $2, $3, $4)
             ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, schema_version = EXCLUDED.schema_version,
               state = EXCLUDED.state, taken_at = now()
             WHERE snapshots.version < EXCLUDED.version OR snapshots.schema_version <> EXCLUDED.schema_version`,
      values: [streamId, snapshot.version.toString(), snapshot.schemaVersion, JSON.stringify(snapshot.state)],
    });
  }

  private toRecordedEvent([globalPosition, eventId, streamId, streamVersion, type, schemaVersion, data, metadata, recordedAtMs, hash]: EventRow): RecordedEvent {
    return upcast(
      {
        eventId,
        streamId,
        streamVersion: BigInt(streamVersion),
        globalPosition: BigInt(globalPosition),
        type,
        schemaVersion,
        data,
        metadata: parseMetadata(metadata),
        recordedAt: new Date(recordedAtMs),
        hash,
      },
      this.options.upcasters,
    );
  }
}

/**
 * Metadata read back is checked, but by hand on this hot path (a global read maps 100k+ rows a second): the
 * common shape passes with three property checks, anything else goes through the full schema.
 */
function parseMetadata(value: unknown): EventMetadata {
  const candidate = value as Partial<EventMetadata> | null;
  if (
    typeof candidate?.correlationId === 'string' &&
    typeof candidate.causationId === 'string' &&
    typeof candidate.actor === 'object' &&
    candidate.actor !== null &&
    (typeof (candidate.actor as { system?: unknown }).system === 'string' ||
      (typeof (candidate.actor as { userId?: unknown }).userId === 'string' && typeof (candidate.actor as { role?: unknown }).role === 'string'))
  ) {
    return candidate as EventMetadata;
  }
  return EventMetadataSchema.parse(value);
}

/**
 * How many sessions of this database wait for the append lock right now (append_lock() in 0100-event-store.sql takes
 * advisory lock 7246002: classid 0, objid 7246002). A test holding an append open waits on it to know that the
 * appends it means to race are really queued behind it.
 */
export async function appendsWaitingForLock(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ waiting: number }>(
    `SELECT count(*)::int AS waiting FROM pg_locks
      WHERE locktype = 'advisory' AND classid = 0 AND objid = 7246002 AND objsubid = 1 AND NOT granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return rows[0]!.waiting;
}

function connectionStringOf(pool: pg.Pool): string {
  const { connectionString } = pool.options;
  if (!connectionString) throw new Error('subscribeToAll needs a pool created from a connection string');
  return connectionString;
}
