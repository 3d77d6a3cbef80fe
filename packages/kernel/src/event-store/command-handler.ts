import { randomUUID } from 'node:crypto';
import { snapshotIfDue, type AggregateDefinition, type LoadedAggregate, type SnapshotPolicy } from './aggregate.js';
import { loadThroughCache, type AggregateCache } from './aggregate-cache.js';
import { VersionConflict, type AppendResult, type EventMetadata, type EventStore, type ExpectedVersion, type IdempotencyClaim, type NewEvent, type StreamAppend } from './event-store.port.js';

export interface DomainEvent {
  type: string;
  data: Record<string, unknown>;
}

/** An aggregate as the command handler runs it: its pure decider plus how to read back and version its events. */
export interface CommandAggregate<S, E extends DomainEvent, C> extends AggregateDefinition<S, E> {
  decide: (command: C, state: S) => E[];
  schemaVersionOf: (type: E['type']) => number;
}

/** A domain decider with its event schema and versions (@shop/domain's AggregateDecider, which the kernel does not import). */
export type DeciderDefinition<S, E extends DomainEvent, C> = Pick<CommandAggregate<S, E, C>, 'initialState' | 'evolve' | 'decide'> & {
  events: { parse: (input: unknown) => E };
  eventVersions: Record<E['type'], number>;
};

/** A domain decider as the command handler runs it: events read back are parsed by its schema; long streams snapshotted by `snapshot`. */
export const commandAggregate = <S, E extends DomainEvent, C>(decider: DeciderDefinition<S, E, C>, snapshot?: SnapshotPolicy<S>): CommandAggregate<S, E, C> => ({
  initialState: decider.initialState,
  evolve: decider.evolve,
  decide: decider.decide,
  parse: (event) => decider.events.parse({ type: event.type, data: event.data }),
  schemaVersionOf: (type) => decider.eventVersions[type],
  ...(snapshot ? { snapshot } : {}),
});

/**
 * The caller named the version it decided on (If-Match) and the stream is at another one. Neutral on purpose: the
 * HTTP edge answers it 412 with the current ETag; any other caller reads again.
 */
export class StaleExpectedVersion extends Error {
  override readonly name = 'StaleExpectedVersion';
  constructor(
    readonly streamId: string,
    readonly actual: bigint,
  ) {
    super(`Stream ${streamId} is at version ${actual}, not at the version the command was decided on`);
  }
}

/** What a decision reads. Each stream's state is loaded through the cache; the version read is its append's expected version. */
export interface CommandReads {
  /** With `ifMatch`, the command runs only on exactly that version of the stream (else StaleExpectedVersion). */
  load<S, E extends DomainEvent, C>(streamId: string, aggregate: CommandAggregate<S, E, C>, options?: { ifMatch?: bigint }): Promise<S>;
}

/** New events for one stream. A stream written without being loaded must be new (expected `no_stream`). */
export interface StreamWrite {
  streamId: string;
  aggregate: CommandAggregate<unknown, DomainEvent, unknown>;
  events: readonly DomainEvent[];
}

export const writeTo = <S, E extends DomainEvent, C>(streamId: string, aggregate: CommandAggregate<S, E, C>, events: readonly E[]): StreamWrite => ({
  streamId,
  aggregate: aggregate as unknown as StreamWrite['aggregate'],
  events,
});

/** Reads what it needs and decides; answers the events to append (none: the command changes nothing). Pure but for its reads. */
export type Decision = (reads: CommandReads) => Promise<StreamWrite[]>;

export interface CommandOptions {
  metadata: EventMetadata;
  /** The process's aggregate states. Without it every attempt reads the store. */
  cache?: AggregateCache;
  /** Claimed in the command's own append (only where the store `claimsIdempotencyKeys`): IdempotencyKeyTaken if taken. */
  claim?: IdempotencyClaim;
}

/** Every stream a command read or wrote, as it stands afterwards, and the position of its last event. */
export class CommandOutcome {
  constructor(
    private readonly streams: ReadonlyMap<string, LoadedAggregate<unknown>>,
    private readonly appended: ReadonlyMap<string, AppendResult> = new Map(),
  ) {}

  /** The global position of the command's last event; undefined when it appended nothing. */
  get lastPosition(): bigint | undefined {
    let last: bigint | undefined;
    for (const result of this.appended.values()) if (last === undefined || result.lastPosition > last) last = result.lastPosition;
    return last;
  }

  /** The global position of the last event the command appended to `streamId`; undefined when it appended none there. */
  lastPositionOf(streamId: string): bigint | undefined {
    return this.appended.get(streamId)?.lastPosition;
  }

  /** The stream's state after the command; `aggregate` only types it (a stream id names its aggregate). */
  stateOf<S>(streamId: string, _aggregate: { initialState: S }): S {
    return this.stream(streamId).state as S;
  }

  /** The stream's version after the command: its ETag. */
  versionOf(streamId: string): bigint {
    return this.stream(streamId).version;
  }

  private stream(streamId: string): LoadedAggregate<unknown> {
    const stream = this.streams.get(streamId);
    if (!stream) throw new Error(`The command neither read nor wrote ${streamId}`);
    return stream;
  }
}

export const toNewEvent = (event: DomainEvent, schemaVersion: number, metadata: EventMetadata): NewEvent => ({
  eventId: randomUUID(),
  type: event.type,
  schemaVersion,
  data: event.data,
  metadata,
});

/** Conflicts with another writer are retried on fresh state this many times in all; then the VersionConflict is thrown. */
export const MAX_COMMAND_ATTEMPTS = 5;

/**
 * The one way a command runs: load (through the cache) → decide → append every stream's events in ONE atomic
 * `appendToStreams`, each at the version its decision read (and the idempotency claim with them) → on a conflict,
 * drop what the cache held and decide again on fresh state, a bounded number of times → snapshot streams that are
 * due → remember the new states in the cache.
 *
 * Three things are never retried: a stale If-Match (StaleExpectedVersion: the caller decided on another version),
 * a conflict on a stream the decision did not read (it was to be new and exists: reading again changes nothing),
 * and any failure of the store itself. A decision that throws on cached state is taken again on fresh state before
 * the caller hears it, so a refusal (out of stock) is never answered from a stale cache.
 */
export async function handleCommand(store: EventStore, decision: Decision, options: CommandOptions): Promise<CommandOutcome> {
  const { cache, metadata, claim } = options;
  let fresh = cache === undefined;
  for (let attempt = 1; ; attempt++) {
    const reads = new AttemptReads(store, cache, fresh);
    let writes: StreamWrite[];
    try {
      writes = await decision(reads);
    } catch (error) {
      if (fresh || !reads.usedCache || reads.storeFailed || error instanceof StaleExpectedVersion) throw error;
      fresh = true;
      continue;
    }
    const appends: StreamAppend[] = writes
      .filter((write) => write.events.length > 0)
      .map((write) => ({
        streamId: write.streamId,
        expected: reads.expectedVersionOf(write.streamId),
        events: write.events.map((event) => toNewEvent(event, write.aggregate.schemaVersionOf(event.type), metadata)),
      }));
    if (appends.length === 0) return new CommandOutcome(reads.loaded);
    let results: AppendResult[];
    try {
      results = await store.appendToStreams(appends, claim ? { claim } : undefined);
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      for (const streamId of reads.loaded.keys()) cache?.delete(streamId);
      if (reads.ifMatchOf(error.streamId) !== undefined) throw new StaleExpectedVersion(error.streamId, error.actual);
      if (!reads.loaded.has(error.streamId) || attempt >= MAX_COMMAND_ATTEMPTS) throw error;
      fresh = true;
      continue;
    }
    const after = await remember(store, cache, reads.loaded, writes, appends, results);
    return new CommandOutcome(after, new Map(appends.map((append, i) => [append.streamId, results[i]!])));
  }
}

/** One attempt's reads: what it loaded (and from where), and the If-Match versions it was given. */
class AttemptReads implements CommandReads {
  readonly loaded = new Map<string, LoadedAggregate<unknown>>();
  private readonly ifMatches = new Map<string, bigint>();
  usedCache = false;
  storeFailed = false;

  constructor(
    private readonly store: EventStore,
    private readonly cache: AggregateCache | undefined,
    private readonly fresh: boolean,
  ) {}

  async load<S, E extends DomainEvent, C>(streamId: string, aggregate: CommandAggregate<S, E, C>, options: { ifMatch?: bigint } = {}): Promise<S> {
    const { ifMatch } = options;
    const cached = this.fresh ? undefined : (this.cache?.get(streamId) as LoadedAggregate<S> | undefined);
    // A cached entry that is not at the caller's If-Match is read again before the caller is told it is stale.
    const usable = cached && (ifMatch === undefined || cached.version === ifMatch) ? cached : undefined;
    if (usable) this.usedCache = true;
    const loaded = usable ?? (await this.read(streamId, aggregate));
    if (ifMatch !== undefined && loaded.version !== ifMatch) throw new StaleExpectedVersion(streamId, loaded.version);
    if (ifMatch !== undefined) this.ifMatches.set(streamId, ifMatch);
    this.loaded.set(streamId, loaded);
    return loaded.state;
  }

  expectedVersionOf(streamId: string): ExpectedVersion {
    const version = this.loaded.get(streamId)?.version ?? 0n;
    return version === 0n ? 'no_stream' : version;
  }

  ifMatchOf(streamId: string): bigint | undefined {
    return this.ifMatches.get(streamId);
  }

  private async read<S, E>(streamId: string, aggregate: AggregateDefinition<S, E>): Promise<LoadedAggregate<S>> {
    try {
      return await loadThroughCache(this.store, streamId, aggregate, this.cache, true);
    } catch (error) {
      this.storeFailed = true;
      throw error;
    }
  }
}

/**
 * After the append: each written stream's new state, snapshotted when due (best effort: the events are committed,
 * and a missing snapshot only means the next load reads a few more events), and kept in the cache.
 */
async function remember(
  store: EventStore,
  cache: AggregateCache | undefined,
  loaded: ReadonlyMap<string, LoadedAggregate<unknown>>,
  writes: readonly StreamWrite[],
  appends: readonly StreamAppend[],
  results: readonly AppendResult[],
): Promise<Map<string, LoadedAggregate<unknown>>> {
  const after = new Map(loaded);
  await Promise.all(
    writes.map(async ({ streamId, aggregate, events }) => {
      const result = results[appends.findIndex((append) => append.streamId === streamId)];
      if (!result) return;
      const before = loaded.get(streamId) ?? { state: aggregate.initialState, version: 0n, eventsRead: 0, snapshotVersion: 0n };
      const state = events.reduce(aggregate.evolve, before.state);
      const written = await snapshotIfDue(store, streamId, aggregate, before, state, result.nextVersion).catch(() => false);
      const entry = { state, version: result.nextVersion, eventsRead: 0, snapshotVersion: written ? result.nextVersion : before.snapshotVersion };
      after.set(streamId, entry);
      cache?.set(streamId, entry);
    }),
  );
  return after;
}

/** The decision of a command on one stream: load it (exactly at `ifMatch` when given) and decide. */
export const decisionOn =
  <S, E extends DomainEvent, C>(streamId: string, aggregate: CommandAggregate<S, E, C>, command: C, options: { ifMatch?: bigint } = {}): Decision =>
  async (reads) => [writeTo(streamId, aggregate, aggregate.decide(command, await reads.load(streamId, aggregate, options)))];
