import { createHash } from 'node:crypto';
import {
  assertValidAppends,
  VersionConflict,
  refuseClaim,
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
import { catchUpSubscription } from './catch-up-subscription.js';
import { upcast, type Upcasters } from './upcasting.js';

interface StreamState {
  events: RecordedEvent[];
  truncateBefore: bigint;
  deleted: boolean;
}

const ZERO_HASH = '0'.repeat(64);

function holds(expected: ExpectedVersion, version: bigint, deleted: boolean): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return version === 0n || deleted;
  if (expected === 'exists') return version > 0n && !deleted;
  return version === expected;
}

/** Same contract as the Postgres store, in process memory: for pure tests and as the executable specification. */
export class InMemoryEventStore implements EventStore {
  /** Its events live apart from the idempotency_keys table: keys are claimed before the command runs. */
  readonly claimsIdempotencyKeys = false;
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: { upcasters?: Upcasters; now?: () => Date } = {}) {}

  async appendToStream(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamId, expected, events }]);
    return result!;
  }

  async appendToStreams(appends: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult[]> {
    assertValidAppends(appends);
    refuseClaim(options);
    const retried = this.retriedResult(appends);
    if (retried) return retried;
    for (const { streamId, expected } of appends) {
      const stream = this.streams.get(streamId);
      const version = BigInt(stream?.events.length ?? 0);
      if (!holds(expected, version, stream?.deleted ?? false)) throw new VersionConflict(streamId, expected, version);
    }
    const recordedAt = this.options.now?.() ?? new Date();
    const results = appends.map(({ streamId, events }) => {
      const stream = this.streams.get(streamId) ?? { events: [], truncateBefore: 1n, deleted: false };
      for (const event of events) {
        const previousHash = stream.events.at(-1)?.hash ?? ZERO_HASH;
        const recorded: RecordedEvent = {
          ...event,
          data: cloneJson(event.data),
          metadata: cloneJson(event.metadata),
          streamId,
          streamVersion: BigInt(stream.events.length + 1),
          globalPosition: BigInt(this.log.length + 1),
          recordedAt,
          hash: '',
        };
        recorded.hash = createHash('sha256').update(previousHash).update(canonical(recorded)).digest('hex');
        stream.events.push(recorded);
        this.log.push(recorded);
      }
      stream.deleted = false;
      this.streams.set(streamId, stream);
      return { nextVersion: BigInt(stream.events.length), lastPosition: BigInt(this.log.length) };
    });
    for (const listener of this.listeners) listener();
    return results;
  }

  /** A retry of an append whose every event id is already stored in its stream answers the stored result. */
  private retriedResult(appends: readonly StreamAppend[]): AppendResult[] | undefined {
    const results: AppendResult[] = [];
    for (const { streamId, events } of appends) {
      const stored = this.streams.get(streamId)?.events ?? [];
      const matches = events.map((e) => stored.find((s) => s.eventId === e.eventId));
      if (matches.some((m) => m === undefined)) return undefined;
      const last = matches.reduce((a, b) => (a!.streamVersion > b!.streamVersion ? a : b))!;
      results.push({ nextVersion: last.streamVersion, lastPosition: last.globalPosition });
    }
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId);
    if (!stream) return [];
    const visible = stream.events.filter((e) => e.streamVersion >= stream.truncateBefore);
    const selected =
      options.direction === 'backwards'
        ? visible.filter((e) => e.streamVersion <= (options.fromVersion ?? BigInt(Number.MAX_SAFE_INTEGER))).reverse()
        : visible.filter((e) => e.streamVersion >= (options.fromVersion ?? 1n));
    return this.copies(selected.slice(0, options.maxCount ?? selected.length));
  }

  async readAll(after: bigint, maxCount: number): Promise<RecordedEvent[]> {
    return this.copies(this.log.slice(Number(after), Number(after) + maxCount));
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return catchUpSubscription(options, (after, maxCount) => this.readAll(after, maxCount), async (wake) => {
      this.listeners.add(wake);
      return async () => void this.listeners.delete(wake);
    });
  }

  async readStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    const stream = this.streams.get(streamId);
    return stream && { version: BigInt(stream.events.length), truncateBefore: stream.truncateBefore, deleted: stream.deleted };
  }

  async truncateStream(streamId: string, before: bigint): Promise<void> {
    const stream = this.streams.get(streamId);
    if (stream && before > stream.truncateBefore) stream.truncateBefore = before;
  }

  async deleteStream(streamId: string, expected: ExpectedVersion): Promise<void> {
    const stream = this.streams.get(streamId);
    const version = BigInt(stream?.events.length ?? 0);
    if (!stream || version === 0n || !holds(expected, version, stream.deleted)) throw new VersionConflict(streamId, expected, version);
    stream.deleted = true;
    stream.truncateBefore = version + 1n;
  }

  async readSnapshot(streamId: string): Promise<Snapshot | undefined> {
    const snapshot = this.snapshots.get(streamId);
    return snapshot && { ...snapshot, state: cloneJson(snapshot.state) };
  }

  async writeSnapshot(streamId: string, snapshot: Snapshot): Promise<void> {
    const current = this.snapshots.get(streamId);
    if (!current || current.version < snapshot.version || current.schemaVersion !== snapshot.schemaVersion) {
      this.snapshots.set(streamId, { ...snapshot, state: cloneJson(snapshot.state) });
    }
  }

  private copies(events: RecordedEvent[]): RecordedEvent[] {
    return events.map((event) =>
      upcast({ ...event, data: cloneJson(event.data), metadata: cloneJson(event.metadata), recordedAt: new Date(event.recordedAt) }, this.options.upcasters),
    );
  }
}

/** Readers get copies, as from a database: mutating what was read never changes what is stored. */
const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function canonical(event: RecordedEvent): string {
  return JSON.stringify([event.eventId, event.streamId, event.streamVersion.toString(), event.type, event.schemaVersion, event.data, event.metadata, event.recordedAt.getTime()]);
}
