import { createHash } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  metastreamOf,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamSubscription,
  type AppendStreamState,
  type CurrentStreamState,
  type Direction,
  type EventData,
  type KurrentDBClient,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type StreamState,
} from '@kurrent/kurrentdb-client';
import { z } from 'zod';
import {
  assertValidAppends,
  EventMetadataSchema,
  refuseClaim,
  VersionConflict,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
  type Snapshot,
  type StreamAppend,
  type StreamMetadata,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port.js';
import { upcast, type Upcasters } from './upcasting.js';
import { catchUpSubscription } from './catch-up-subscription.js';

/*
 * KurrentDB adapter. The translation between our vocabulary and KurrentDB's is done by the pure, exported
 * functions below (unit-tested without a server in kurrentdb-event-store.test.ts); the class only sequences
 * client calls. docs/event-store.md describes the mapping and what was and was not verified against a server.
 *
 * Numbering: our stream versions count events (first event = 1, absent = 0); KurrentDB revisions are 0-based,
 * so revision = version - 1. Our global position is the event's $all commit position: increasing, not dense.
 */

/** The hash the first event of a stream (and the first after a hidden predecessor) chains to. */
export const KURRENT_ZERO_HASH = '0'.repeat(64);

/** Snapshots live in a companion stream; `$`-names are system streams, so the prefix is a plain word. */
export const KURRENT_SNAPSHOT_STREAM_PREFIX = 'snapshot-';
export const KURRENT_SNAPSHOT_EVENT_TYPE = 'ShopSnapshot';
export const kurrentSnapshotStream = (streamId: string): string => `${KURRENT_SNAPSHOT_STREAM_PREFIX}${streamId}`;

/** Metadata keys the adapter adds to each event (and strips from the metadata it returns). */
const HASH_KEY = '$shopHash';
const SCHEMA_VERSION_KEY = '$shopSchemaVersion';

/**
 * A soft delete sets the stream's truncate-before to long.MaxValue (EventNumber.DeletedStream in KurrentDB's
 * StorageWriterService); JSON.parse turns that into a number above MAX_SAFE_INTEGER.
 */
const SOFT_DELETED_TRUNCATE_BEFORE = Number.MAX_SAFE_INTEGER;

/** A revision no stream can reach: an append expecting it is refused with the stream's actual revision. */
const UNREACHABLE_REVISION = 2n ** 62n;
const PROBE_EVENT_TYPE = 'ShopRevisionProbe';

/** How often an 'any'/'exists' append re-reads the stream after losing a race on the revision it pinned. */
const MAX_PIN_ATTEMPTS = 10;

// ───────────────────────── pure translation ─────────────────────────

/** Our expected version → KurrentDB's stream state (revision = version − 1; version 0 = no stream). */
export function kurrentStreamState(expected: ExpectedVersion): AppendStreamState {
  if (typeof expected === 'bigint') {
    if (expected < 0n) throw new RangeError(`An expected version is never negative: ${expected}`);
    return expected === 0n ? NO_STREAM : expected - 1n;
  }
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default: {
      const _never: never = expected;
      return _never;
    }
  }
}

/** KurrentDB's actual stream state → our version: the revision + 1, or 0 when the stream does not exist. */
export function versionFromKurrentState(actual: CurrentStreamState): bigint {
  // Some server paths report a missing stream as revision -1 rather than "no_stream": never surface -1.
  return actual === NO_STREAM || actual < 0n ? 0n : actual + 1n;
}

/** A WrongExpectedVersionError as our VersionConflict; any other error is not a conflict (undefined). */
export function versionConflictFromKurrent(error: unknown, streamId: string, expected: ExpectedVersion): VersionConflict | undefined {
  if (!(error instanceof WrongExpectedVersionError)) return undefined;
  return new VersionConflict(streamId, expected, versionFromKurrentState(error.actualState));
}

export interface KurrentReadOptions {
  direction: Direction;
  fromRevision: ReadRevision;
  maxCount?: number;
}

/** Our stream-read options → KurrentDB's (fromVersion v → fromRevision v − 1). */
export function kurrentReadStreamOptions(options: ReadStreamOptions = {}): KurrentReadOptions {
  const backwards = options.direction === 'backwards';
  const from = options.fromVersion;
  const fromRevision: ReadRevision = from === undefined || from < 1n ? (backwards ? END : START) : from - 1n;
  return { direction: backwards ? BACKWARDS : FORWARDS, fromRevision, ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }) };
}

/** The shape of a record read from KurrentDB that the adapter relies on (the client's RecordedEvent fits it). */
export interface KurrentRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/** System streams and events ($-prefixed) and the adapter's snapshot streams are not part of our global log. */
export function isKurrentInternalRecord(record: Pick<KurrentRecord, 'streamId' | 'type'>): boolean {
  return record.streamId.startsWith('$') || record.type.startsWith('$') || record.streamId.startsWith(KURRENT_SNAPSHOT_STREAM_PREFIX);
}

/** JSON with object keys sorted at every depth: the same event always serialises, and so hashes, the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * sha256(previous hash ‖ canonical JSON of the event), hex. KurrentDB computes no chain, so the adapter does, on
 * the client, before the append. The stream version and the recorded time are assigned by the server after the
 * hash is fixed, so they are not part of it; the link to the predecessor's hash fixes the event's place instead.
 */
export function kurrentChainHash(previousHash: string, streamId: string, event: NewEvent): string {
  const body = canonicalJson({
    eventId: event.eventId,
    streamId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  });
  return createHash('sha256').update(previousHash).update(body).digest('hex');
}

/**
 * The metadata stored with an event: our envelope plus the schema version and the chain hash. The multi-stream
 * append (KurrentDB ≥ 25.1) accepts only string values, so `flat` stores non-string values as JSON text.
 */
export function kurrentEventMetadata(event: NewEvent, hash: string, flat: boolean): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...event.metadata, [SCHEMA_VERSION_KEY]: event.schemaVersion, [HASH_KEY]: hash };
  if (!flat) return metadata;
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

/** The events of one append as KurrentDB event data, each chained to the one before it (the first to `previousHash`). */
export function kurrentEventData(streamId: string, events: readonly NewEvent[], previousHash: string, flat = false): EventData[] {
  let previous = previousHash;
  return events.map((event) => {
    const hash = kurrentChainHash(previous, streamId, event);
    previous = hash;
    return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: kurrentEventMetadata(event, hash, flat) });
  });
}

const DataSchema = z.record(z.string(), z.unknown());
const jsonText = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};
const StoredMetadataSchema = z.object({
  [HASH_KEY]: z.string().regex(/^[0-9a-f]{64}$/),
  [SCHEMA_VERSION_KEY]: z.preprocess(jsonText, z.number().int().nonnegative()),
});

/** The chain hash stored with a record (parse, don't trust: a record without one is not ours). */
export function kurrentRecordHash(record: Pick<KurrentRecord, 'metadata'>): string {
  return StoredMetadataSchema.parse(record.metadata)[HASH_KEY];
}

/** A KurrentDB record → our RecordedEvent, upcast to the current shape. */
export function recordedEventFromKurrent(record: KurrentRecord, upcasters?: Upcasters): RecordedEvent {
  if (!record.isJson) throw new TypeError(`Event ${record.id} in ${record.streamId} is not JSON`);
  if (!record.position) throw new TypeError(`Event ${record.id} in ${record.streamId} was read without its $all position`);
  const stored = StoredMetadataSchema.parse(record.metadata);
  const raw = record.metadata as Record<string, unknown>;
  return upcast(
    {
      eventId: record.id,
      streamId: record.streamId,
      streamVersion: record.revision + 1n,
      globalPosition: record.position.commit,
      type: record.type,
      schemaVersion: stored[SCHEMA_VERSION_KEY],
      data: DataSchema.parse(record.data),
      // A multi-stream append stored `actor` as JSON text; EventMetadataSchema drops our `$shop…` keys.
      metadata: EventMetadataSchema.parse({ ...raw, actor: jsonText(raw.actor) }),
      recordedAt: record.created,
      hash: stored[HASH_KEY],
    },
    upcasters,
  );
}

/** Our stream metadata from a stream's last revision and its KurrentDB truncate-before (a revision). */
export function streamMetadataFromKurrent(lastRevision: bigint, truncateBefore: unknown): StreamMetadata {
  const version = lastRevision + 1n;
  if (isSoftDeleted(truncateBefore)) return { version, truncateBefore: version + 1n, deleted: true };
  const before = typeof truncateBefore === 'number' && Number.isInteger(truncateBefore) ? BigInt(truncateBefore) + 1n : 1n;
  return { version, truncateBefore: before > 1n ? before : 1n, deleted: false };
}

function isSoftDeleted(truncateBefore: unknown): boolean {
  return typeof truncateBefore === 'number' && truncateBefore >= SOFT_DELETED_TRUNCATE_BEFORE;
}

const SnapshotDataSchema = z.object({ version: z.string().regex(/^\d+$/), schemaVersion: z.number().int(), state: z.unknown() });

export function kurrentSnapshotData(snapshot: Snapshot): Record<string, unknown> {
  return { version: snapshot.version.toString(), schemaVersion: snapshot.schemaVersion, state: snapshot.state };
}

export function snapshotFromKurrent(record: Pick<KurrentRecord, 'type' | 'data' | 'streamId'>): Snapshot {
  if (record.type !== KURRENT_SNAPSHOT_EVENT_TYPE) throw new TypeError(`${record.streamId} holds a ${record.type}, not a snapshot`);
  const data = SnapshotDataSchema.parse(record.data);
  return { version: BigInt(data.version), schemaVersion: data.schemaVersion, state: data.state };
}

/** Keeps the newest snapshot: a new one replaces the stored one when it is newer or of another state shape. */
export function snapshotSupersedes(candidate: Snapshot, stored: Snapshot | undefined): boolean {
  return !stored || stored.version < candidate.version || stored.schemaVersion !== candidate.schemaVersion;
}

// ───────────────────────── the adapter ─────────────────────────

export interface KurrentDbEventStoreOptions {
  upcasters?: Upcasters;
}

/** How one stream's part of an append is sent: the stream state to expect and the hash to chain to. */
interface AppendPlan {
  append: StreamAppend;
  state: AppendStreamState;
  previousHash: string;
  /**
   * 'any' and 'exists' are sent as the exact revision read before hashing, so no other append can slip in
   * between the predecessor the chain links to and our events. Losing that race means re-reading, not a conflict.
   */
  pinned: boolean;
  /** Set when the events are already the stream's last ones: a retry of an append that succeeded. */
  retried?: AppendResult;
}

const isAfter = (a: Position, b: Position): boolean => a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);

/**
 * The event store on KurrentDB through the official client (`@kurrent/kurrentdb-client`). The client is built
 * by the composition root (`KurrentDBClient.connectionString(url)`) and must keep `throwOnAppendFailure`
 * (the default). Event ids must be UUIDs; stream names starting with `snapshot-` are reserved for snapshots.
 */
export class KurrentDbEventStore implements EventStore {
  /** Its events live apart from the idempotency_keys table: keys are claimed before the command runs. */
  readonly claimsIdempotencyKeys = false;
  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbEventStoreOptions = {},
  ) {}

  async appendToStream(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamId, expected, events }]);
    return result!;
  }

  async appendToStreams(appends: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult[]> {
    assertValidAppends(appends);
    refuseClaim(options);
    for (const { streamId } of appends) {
      if (streamId.startsWith(KURRENT_SNAPSHOT_STREAM_PREFIX)) throw new TypeError(`Stream names starting with "${KURRENT_SNAPSHOT_STREAM_PREFIX}" are reserved for snapshots: ${streamId}`);
    }
    for (let attempt = 1; ; attempt++) {
      // Planning may already find a conflict; the first stream's (in the order given) is the one thrown.
      const planned = await Promise.allSettled(appends.map((append) => this.plan(append)));
      const refused = planned.find((p): p is PromiseRejectedResult => p.status === 'rejected');
      if (refused) throw refused.reason;
      const plans = planned.map((p) => (p as PromiseFulfilledResult<AppendPlan>).value);
      if (plans.every((plan) => plan.retried)) return plans.map((plan) => plan.retried!);
      try {
        return plans.length === 1 ? [await this.appendOne(plans[0]!)] : await this.appendMany(plans);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        const plan = plans.length === 1 ? plans[0] : plans.find((p) => p.append.streamId === error.streamName);
        if (!plan) throw error;
        if (!plan.pinned) throw versionConflictFromKurrent(error, plan.append.streamId, plan.append.expected)!;
        if (attempt === MAX_PIN_ATTEMPTS) {
          throw new Error(`Append to ${plan.append.streamId} (expected ${String(plan.append.expected)}) lost the race for its revision ${MAX_PIN_ATTEMPTS} times`, { cause: error });
        }
      }
    }
  }

  private async plan(append: StreamAppend): Promise<AppendPlan> {
    const { streamId, expected, events } = append;
    if (expected === 'no_stream' || expected === 0n) {
      // A stream that exists refuses NO_STREAM (or recognises a retry), so no predecessor is needed; a soft-deleted
      // stream accepts it and its chain restarts, its old events being unreadable.
      return { append, state: NO_STREAM, previousHash: KURRENT_ZERO_HASH, pinned: false };
    }
    if (typeof expected === 'bigint') {
      // The server checks the revision; if it holds, the last readable event is the predecessor.
      const [last] = await this.lastRecords(streamId, 1);
      const previousHash = last && last.revision === expected - 1n ? kurrentRecordHash(last) : KURRENT_ZERO_HASH;
      return { append, state: kurrentStreamState(expected), previousHash, pinned: false };
    }
    const [last] = await this.lastRecords(streamId, 1);
    if (last) {
      // KurrentDB only promises best-effort idempotency for ANY; pinning a revision would drop even that, so a
      // retry is recognised here while its events are still the stream's last ones. An append is atomic, so its
      // last event being the stream's last means all of it was written.
      const retried = last.id === events.at(-1)!.eventId;
      return {
        append,
        state: last.revision,
        previousHash: kurrentRecordHash(last),
        pinned: true,
        ...(retried ? { retried: { nextVersion: last.revision + 1n, lastPosition: this.positionOf(last) } } : {}),
      };
    }
    const revision = await this.probeRevision(streamId);
    if (revision === undefined) {
      if (expected === 'exists') throw new VersionConflict(streamId, expected, 0n);
      return { append, state: NO_STREAM, previousHash: KURRENT_ZERO_HASH, pinned: true };
    }
    // The stream has events but none readable: soft-deleted, or truncated past its end.
    if (expected === 'exists' && (await this.isSoftDeleted(streamId))) throw new VersionConflict(streamId, expected, revision + 1n);
    return { append, state: revision, previousHash: KURRENT_ZERO_HASH, pinned: true };
  }

  private async appendOne(plan: AppendPlan): Promise<AppendResult> {
    const { streamId, events } = plan.append;
    const result = await this.client.appendToStream(streamId, kurrentEventData(streamId, events, plan.previousHash), { streamState: plan.state });
    if (!result.success) throw new Error(`KurrentDB refused the append to ${streamId} without an error: the client must keep throwOnAppendFailure`);
    // The answered position is the last event's; an idempotent answer may come without one.
    const lastPosition = result.position?.commit ?? (await this.positionAt(streamId, result.nextExpectedRevision));
    return { nextVersion: result.nextExpectedRevision + 1n, lastPosition };
  }

  /** All streams or none, through KurrentDB's multi-stream append (server ≥ 25.1; older servers: UnsupportedError). */
  private async appendMany(plans: AppendPlan[]): Promise<AppendResult[]> {
    const result = await this.client.multiStreamAppend(
      plans.map(({ append, state, previousHash }) => ({
        streamName: append.streamId,
        events: kurrentEventData(append.streamId, append.events, previousHash, true),
        expectedState: state,
      })),
    );
    // The answer carries one position for the whole append; each stream's last position is read back.
    return Promise.all(
      plans.map(async ({ append }) => {
        const response = result.responses.find((r) => r.streamName === append.streamId);
        if (!response) throw new Error(`The multi-stream append answered nothing for ${append.streamId}`);
        return { nextVersion: response.revision + 1n, lastPosition: await this.positionAt(append.streamId, response.revision) };
      }),
    );
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const records = await this.readRecords(streamId, kurrentReadStreamOptions(options));
    return records.map((record) => recordedEventFromKurrent(record, this.options.upcasters));
  }

  async readAll(after: bigint, maxCount: number): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    if (maxCount <= 0) return found;
    // Filtering on the client keeps "a short page is the end of the log" true; a server-side filter may end a
    // page early. Reads resume from the last record seen, which the next page repeats (reads are inclusive).
    const pageSize = Math.max(maxCount + 1, 256);
    let from: ReadPosition = after === 0n ? START : { commit: after, prepare: after };
    let seen: Position | undefined;
    for (;;) {
      let pageLength = 0;
      for await (const { event } of this.client.readAll({ fromPosition: from, maxCount: pageSize })) {
        pageLength++;
        if (!event || (seen && !isAfter(event.position, seen))) continue;
        seen = event.position;
        if (event.position.commit <= after || isKurrentInternalRecord(event)) continue;
        found.push(recordedEventFromKurrent(event, this.options.upcasters));
        if (found.length === maxCount) return found;
      }
      if (pageLength < pageSize || !seen) return found;
      from = seen;
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    // The server's live subscription is used as a wake-up only: catch-up and live delivery share one path
    // (readAll in batches, the next batch after the handler resolved), with the same filtering and upcasting.
    return catchUpSubscription(options, (after, maxCount) => this.readAll(after, maxCount), async (wake, onError) => {
      let closed = false;
      let live: AllStreamSubscription | undefined;
      const listen = (): void => {
        const subscription = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
        subscription.on('data', wake);
        subscription.on('error', (error: Error) => {
          onError(error);
          wake();
          // Subscribe again after a pause; reading from the last position covers whatever was missed meanwhile.
          setTimeout(() => {
            if (!closed && live === subscription) listen();
          }, 1_000);
        });
        live = subscription;
      };
      listen();
      return async () => {
        closed = true;
        await live?.unsubscribe();
      };
    });
  }

  async readStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    const revision = await this.lastRevision(streamId);
    if (revision === undefined) return undefined;
    const { metadata } = await this.client.getStreamMetadata(streamId);
    return streamMetadataFromKurrent(revision, metadata?.truncateBefore);
  }

  async truncateStream(streamId: string, before: bigint): Promise<void> {
    if (before <= 1n || (await this.lastRevision(streamId)) === undefined) return;
    const revision = Number(before - 1n);
    // Compare-and-set on the metadata stream: the other metadata is kept, and a concurrent change is re-read.
    for (;;) {
      const [current] = await this.readRecords(metastreamOf(streamId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
      const { $tb: stored, ...rest } = (current?.data ?? {}) as Record<string, unknown>;
      if (typeof stored === 'number' && stored >= revision) return; // never un-hides (a soft delete is the maximum)
      try {
        await this.client.setStreamMetadata(streamId, { ...rest, truncateBefore: revision }, { expectedRevision: current ? current.revision : NO_STREAM });
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
  }

  async deleteStream(streamId: string, expected: ExpectedVersion): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { revision, pinned } = await this.deleteRevision(streamId, expected);
      try {
        await this.client.deleteStream(streamId, { expectedRevision: revision });
        return;
      } catch (error) {
        if (pinned && error instanceof WrongExpectedVersionError && attempt < MAX_PIN_ATTEMPTS) continue;
        throw versionConflictFromKurrent(error, streamId, expected) ?? error;
      }
    }
  }

  /** KurrentDB's delete takes no STREAM_EXISTS: 'exists' is sent as the stream's current revision. */
  private async deleteRevision(streamId: string, expected: ExpectedVersion): Promise<{ revision: StreamState; pinned: boolean }> {
    if (expected === 'any') return { revision: ANY, pinned: false };
    if (expected === 'no_stream' || expected === 0n) return { revision: NO_STREAM, pinned: false };
    if (typeof expected === 'bigint') return { revision: expected - 1n, pinned: false };
    const revision = await this.lastRevision(streamId);
    if (revision === undefined) throw new VersionConflict(streamId, expected, 0n);
    if (await this.isSoftDeleted(streamId)) throw new VersionConflict(streamId, expected, revision + 1n);
    return { revision, pinned: true };
  }

  async readSnapshot(streamId: string): Promise<Snapshot | undefined> {
    const [record] = await this.lastRecords(kurrentSnapshotStream(streamId), 1);
    return record && snapshotFromKurrent(record);
  }

  async writeSnapshot(streamId: string, snapshot: Snapshot): Promise<void> {
    const stream = kurrentSnapshotStream(streamId);
    for (;;) {
      const [record] = await this.lastRecords(stream, 1);
      if (!snapshotSupersedes(snapshot, record && snapshotFromKurrent(record))) return;
      try {
        await this.client.appendToStream(stream, jsonEvent({ type: KURRENT_SNAPSHOT_EVENT_TYPE, data: kurrentSnapshotData(snapshot) }), {
          streamState: record ? record.revision : NO_STREAM,
        });
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) continue; // another writer got there first: compare again
        throw error;
      }
      // Only the newest snapshot is ever read: let the server scavenge the others.
      if (!record) await this.client.setStreamMetadata(stream, { maxCount: 1 });
      return;
    }
  }

  // ───────────────────────── reading helpers ─────────────────────────

  /** A stream's records; an absent or soft-deleted stream (KurrentDB answers "not found") reads as empty. */
  private async readRecords(streamId: string, options: KurrentReadOptions): Promise<KurrentRecord[]> {
    const records: KurrentRecord[] = [];
    try {
      for await (const { event } of this.client.readStream(streamId, options)) if (event) records.push(event);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return records;
  }

  /** Up to `count` of a stream's last readable records, newest first. */
  private lastRecords(streamId: string, count: number): Promise<KurrentRecord[]> {
    return this.readRecords(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: count });
  }

  /** The revision of a stream's last event, readable or not; undefined when the stream has none. */
  private async lastRevision(streamId: string): Promise<bigint | undefined> {
    const [last] = await this.lastRecords(streamId, 1);
    return last ? last.revision : this.probeRevision(streamId);
  }

  /**
   * The last revision of a stream whose events cannot be read (soft-deleted, or truncated past its end), or
   * undefined when it has none. The stream API has no read for it, so an append expecting an unreachable
   * revision asks: the server refuses it with the actual revision and writes nothing. Needs write permission.
   */
  private async probeRevision(streamId: string): Promise<bigint | undefined> {
    try {
      await this.client.appendToStream(streamId, jsonEvent({ type: PROBE_EVENT_TYPE, data: {} }), { streamState: UNREACHABLE_REVISION });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const actual = error.actualState;
      return actual === NO_STREAM || actual < 0n ? undefined : actual;
    }
    throw new Error(`KurrentDB accepted an append at revision ${UNREACHABLE_REVISION} of ${streamId}`);
  }

  private async isSoftDeleted(streamId: string): Promise<boolean> {
    const { metadata } = await this.client.getStreamMetadata(streamId);
    return isSoftDeleted(metadata?.truncateBefore);
  }

  private positionOf(record: KurrentRecord): bigint {
    if (!record.position) throw new Error(`Event ${record.id} of ${record.streamId} was read without its $all position`);
    return record.position.commit;
  }

  private async positionAt(streamId: string, revision: bigint): Promise<bigint> {
    const [record] = await this.readRecords(streamId, { direction: FORWARDS, fromRevision: revision, maxCount: 1 });
    if (!record || record.revision !== revision) throw new Error(`Revision ${revision} of ${streamId} cannot be read back for its position`);
    return this.positionOf(record);
  }
}
