import { z } from 'zod';

/**
 * The event store in our vocabulary. Adapters (Postgres, in-memory, KurrentDB) translate vendor numbering and
 * errors into these terms, and all of them pass the same contract suite (event-store.contract.ts).
 * Stream versions count events: the first event of a stream has version 1, an absent stream is version 0.
 */
export type ExpectedVersion = 'no_stream' | 'exists' | 'any' | bigint;

/** The envelope's metadata, as every adapter checks it when reading it back from its store. */
export const EventMetadataSchema = z.object({
  /** Names the request (or job) that caused the event, across services and logs: docs/observability.md. */
  correlationId: z.string(),
  causationId: z.string(),
  actor: z.union([z.object({ userId: z.string(), role: z.string() }), z.object({ system: z.string() })]),
  /**
   * The W3C trace context of the span that appended the event, when tracing was on: the relay continues the trace
   * from it (the relay publishes later, outside the request). Absent when tracing is off.
   */
  traceparent: z.string().optional(),
});
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

export interface NewEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  eventId: string;
  streamId: string;
  streamVersion: bigint;
  /** Position in the whole store, increasing in commit order (dense in the Postgres and in-memory stores). */
  globalPosition: bigint;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recordedAt: Date;
  /** sha256 chaining this event to its stream's previous one, hex. */
  hash: string;
}

export interface AppendResult {
  nextVersion: bigint;
  /** Global position of the last appended event: what a write answers as its Consistency-Token. */
  lastPosition: bigint;
}

/** One stream's part of an append. */
export interface StreamAppend {
  streamId: string;
  expected: ExpectedVersion;
  events: readonly NewEvent[];
}

export interface ReadStreamOptions {
  /** First version to read (inclusive). Forwards: default 1. Backwards: default the last version. */
  fromVersion?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface StreamMetadata {
  version: bigint;
  /** Versions below this are hidden from stream reads (the global log keeps them). */
  truncateBefore: bigint;
  deleted: boolean;
}

export interface Snapshot {
  /** The stream version the state reflects. */
  version: bigint;
  /** Version of the state's shape; a snapshot of another shape is ignored (and rebuilt from events). */
  schemaVersion: number;
  state: unknown;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this global position (0n: from the beginning). */
  after: bigint;
  /** Called with each batch in global order; the next batch waits until it resolves (back-pressure). */
  onEvents: (events: RecordedEvent[]) => Promise<void>;
  /** A failed read or handler: the subscription retries the same batch after a pause. */
  onError?: (error: unknown) => void;
  batchSize?: number;
}

export interface Subscription {
  /** Stops after the batch in hand; resolves when stopped. */
  stop(): Promise<void>;
}

/**
 * An HTTP `Idempotency-Key` claimed in the same transaction as an append (the transactional inbox): the command
 * service's idempotency_keys row (0110-idempotency-keys.sql), marked in progress, naming the append's first stream. The append and
 * the claim commit together or not at all, so a create pays no separate round trip to claim its key first, and a
 * key whose answer was never stored still says where its committed outcome is.
 */
export interface IdempotencyClaim {
  userId: string;
  key: string;
  requestHash: string;
}

export interface AppendOptions {
  /** Only for a store whose `claimsIdempotencyKeys` is true; another store refuses it with a TypeError. */
  claim?: IdempotencyClaim;
}

export interface EventStore {
  /**
   * Whether `appendToStreams` takes an idempotency claim: true only where the events and the idempotency_keys
   * table share one database (PostgresEventStore). Elsewhere the key is claimed before the command runs.
   */
  readonly claimsIdempotencyKeys: boolean;
  appendToStream(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult>;
  /**
   * Appends to several streams atomically: every expected version holds and every event is written, or
   * nothing is (the first failing stream's VersionConflict is thrown). Results are in the order given.
   * With a claim, the user already holding that key also writes nothing: IdempotencyKeyTaken is thrown.
   */
  appendToStreams(appends: readonly StreamAppend[], options?: AppendOptions): Promise<AppendResult[]>;
  /** Events of one stream in version order (or reverse order backwards), hiding truncated versions. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of every stream in global order, strictly after `after`, at most `maxCount` of them. */
  readAll(after: bigint, maxCount: number): Promise<RecordedEvent[]>;
  /** Catch-up from `after`, then live: new events are delivered as they commit, without busy polling. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  readStreamMetadata(streamId: string): Promise<StreamMetadata | undefined>;
  /** Hides versions below `before` from stream reads; never un-hides. */
  truncateStream(streamId: string, before: bigint): Promise<void>;
  /** Soft delete: the stream reads as empty; a later append continues its version numbers. */
  deleteStream(streamId: string, expected: ExpectedVersion): Promise<void>;
  readSnapshot(streamId: string): Promise<Snapshot | undefined>;
  /** Keeps the newest snapshot per stream; an older one than stored is ignored. */
  writeSnapshot(streamId: string, snapshot: Snapshot): Promise<void>;
}

export class VersionConflict extends Error {
  override readonly name = 'VersionConflict';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: bigint,
  ) {
    super(`Version conflict on ${streamId}: expected ${String(expected)}, actual ${actual}`);
  }
}

/** The append's idempotency key was already claimed (by an earlier or a concurrent request): nothing was written. */
export class IdempotencyKeyTaken extends Error {
  override readonly name = 'IdempotencyKeyTaken';
  constructor(
    readonly userId: string,
    readonly key: string,
  ) {
    super(`Idempotency-Key ${key} is already claimed`);
  }
}

/** Checks an append's shape before it reaches any store: no empty appends, no stream twice in one call. */
export function assertValidAppends(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) throw new TypeError('An append needs at least one stream');
  const seen = new Set<string>();
  for (const append of appends) {
    if (append.events.length === 0) throw new TypeError(`An append to ${append.streamId} has no events`);
    if (seen.has(append.streamId)) throw new TypeError(`Stream ${append.streamId} appears twice in one append`);
    seen.add(append.streamId);
  }
}

/** What a store without idempotency claims does with one: refuse it loudly rather than drop the guarantee. */
export function refuseClaim(options: AppendOptions): void {
  if (options.claim) throw new TypeError('This event store cannot claim an idempotency key with an append (claimsIdempotencyKeys is false)');
}
