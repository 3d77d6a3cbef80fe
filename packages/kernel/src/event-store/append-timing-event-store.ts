import {
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

export type AppendOutcome = 'ok' | 'version_conflict' | 'error';

/** Told once per append call: how long it took, how many events it carried, how it ended. */
export type AppendObserver = (seconds: number, events: number, outcome: AppendOutcome) => void;

/**
 * Times every append of the store it wraps (the append rate and latency on the dashboards); everything else passes
 * through untouched. A decorator, so no adapter carries metrics code and the measurement is the same for each.
 */
export class AppendTimingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly observe: AppendObserver,
  ) {}

  get claimsIdempotencyKeys(): boolean {
    return this.inner.claimsIdempotencyKeys;
  }

  appendToStream(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    return this.timed(events.length, () => this.inner.appendToStream(streamId, expected, events));
  }

  appendToStreams(appends: readonly StreamAppend[], options?: AppendOptions): Promise<AppendResult[]> {
    const events = appends.reduce((sum, append) => sum + append.events.length, 0);
    return this.timed(events, () => this.inner.appendToStreams(appends, options));
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(after: bigint, maxCount: number): Promise<RecordedEvent[]> {
    return this.inner.readAll(after, maxCount);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
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

  private async timed<T>(events: number, append: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await append();
      this.observe(seconds(), events, 'ok');
      return result;
    } catch (error) {
      this.observe(seconds(), events, error instanceof VersionConflict ? 'version_conflict' : 'error');
      throw error;
    }
  }
}
