import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadStreamOptions,
  RecordedEvent,
  Snapshot,
  StreamAppend,
  StreamMetadata,
  SubscribeOptions,
  Subscription,
} from '../event-store/event-store.port.js';
import type { DecodeOptions, PersonalDataCodec } from './personal-data-codec.js';

/**
 * Any event store with the personal-data codec around it: appends are encrypted before they reach the store, reads
 * decrypted after. Code above it (deciders, projections, the audit's views) sees plaintext or `[erased]`; the store,
 * its hash chain, the relay and JetStream only ever see the envelopes. Snapshots pass as they are: aggregates that
 * hold personal data are not snapshotted (command-service aggregates.ts).
 */
export class PersonalDataEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly codec: PersonalDataCodec,
    private readonly decodeOptions: DecodeOptions = {},
  ) {}

  get claimsIdempotencyKeys(): boolean {
    return this.inner.claimsIdempotencyKeys;
  }

  async appendToStream(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, expected, await this.codec.encode(events));
  }

  async appendToStreams(appends: readonly StreamAppend[], options?: AppendOptions): Promise<AppendResult[]> {
    const encoded: StreamAppend[] = [];
    for (const append of appends) encoded.push({ ...append, events: await this.codec.encode(append.events) });
    return this.inner.appendToStreams(encoded, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.codec.decode(await this.inner.readStream(streamId, options), this.decodeOptions);
  }

  async readAll(after: bigint, maxCount: number): Promise<RecordedEvent[]> {
    return this.codec.decode(await this.inner.readAll(after, maxCount), this.decodeOptions);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll({ ...options, onEvents: async (events) => options.onEvents(await this.codec.decode(events, this.decodeOptions)) });
  }

  readStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    return this.inner.readStreamMetadata(streamId);
  }

  truncateStream(streamId: string, before: bigint): Promise<void> {
    return this.inner.truncateStream(streamId, before);
  }

  deleteStream(streamId: string, expected: ExpectedVersion): Promise<void> {
    return this.inner.deleteStream(streamId, expected);
  }

  readSnapshot(streamId: string): Promise<Snapshot | undefined> {
    return this.inner.readSnapshot(streamId);
  }

  writeSnapshot(streamId: string, snapshot: Snapshot): Promise<void> {
    return this.inner.writeSnapshot(streamId, snapshot);
  }
}
