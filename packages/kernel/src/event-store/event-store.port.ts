/**
 * The event store in our vocabulary. Adapters translate vendor numbering and errors into these terms.
 * Stream versions count events: the first event of a stream has version 1, an absent stream is version 0.
 */
export type ExpectedVersion = 'no_stream' | 'exists' | 'any' | bigint;

export interface EventMetadata {
  correlationId: string;
  causationId: string;
  actor: { userId: string; role: string } | { system: string };
}

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

export interface EventStore {
  appendToStream(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult>;
  /** Events of one stream in version order, from `fromVersion` (inclusive, default 1). */
  readStream(streamId: string, options?: { fromVersion?: bigint; maxCount?: number }): Promise<RecordedEvent[]>;
  /** Events of every stream in global order, strictly after `after`, at most `maxCount` of them. */
  readAll(after: bigint, maxCount: number): Promise<RecordedEvent[]>;
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
