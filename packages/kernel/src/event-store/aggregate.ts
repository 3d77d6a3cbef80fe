import type { EventStore, RecordedEvent } from './event-store.port.js';

export interface AggregateDefinition<S, E> {
  initialState: S;
  evolve: (state: S, event: E) => S;
  /** Parse, don't trust: a recorded event becomes a domain event, or this throws. */
  parse: (event: RecordedEvent) => E;
  /**
   * Snapshot long streams every `every` events, so loading reads at most `every` events whatever the stream's
   * length. A snapshot is JSON (no bigint, no Date, no Map): a state that is not names `toJson`/`fromJson`.
   * `schemaVersion` changes when the snapshot's shape does.
   */
  snapshot?: SnapshotPolicy<S>;
}

export interface SnapshotPolicy<S> {
  schemaVersion: number;
  every: number;
  toJson?: (state: S) => unknown;
  /** Reads back what `toJson` wrote (typed by the definition: `never` here accepts any parameter type). */
  fromJson?: (json: never) => S;
}

export interface LoadedAggregate<S> {
  state: S;
  /** The stream version the state reflects: the expected version of the next append. */
  version: bigint;
  /** How many events were read to rebuild the state (with a snapshot: at most `every`). */
  eventsRead: number;
  snapshotVersion: bigint;
}

export async function loadAggregate<S, E>(store: EventStore, streamId: string, definition: AggregateDefinition<S, E>): Promise<LoadedAggregate<S>> {
  const stored = definition.snapshot ? await store.readSnapshot(streamId) : undefined;
  const snapshot = stored && stored.schemaVersion === definition.snapshot?.schemaVersion ? stored : undefined;
  const events = await store.readStream(streamId, { fromVersion: (snapshot?.version ?? 0n) + 1n });
  const fromJson = definition.snapshot?.fromJson ?? ((json: unknown) => json as S);
  const start = snapshot ? fromJson(snapshot.state as never) : definition.initialState;
  const state = events.reduce((s, event) => definition.evolve(s, definition.parse(event)), start);
  return {
    state,
    version: events.at(-1)?.streamVersion ?? snapshot?.version ?? 0n,
    eventsRead: events.length,
    snapshotVersion: snapshot?.version ?? 0n,
  };
}

/** After an append: writes a snapshot of `state` at `version` when `every` events have passed since the last one. */
export async function snapshotIfDue<S, E>(
  store: EventStore,
  streamId: string,
  definition: AggregateDefinition<S, E>,
  loaded: Pick<LoadedAggregate<S>, 'snapshotVersion'>,
  state: S,
  version: bigint,
): Promise<boolean> {
  const policy = definition.snapshot;
  if (!policy || version - loaded.snapshotVersion < BigInt(policy.every)) return false;
  await store.writeSnapshot(streamId, { version, schemaVersion: policy.schemaVersion, state: policy.toJson ? policy.toJson(state) : state });
  return true;
}
