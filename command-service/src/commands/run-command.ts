import { randomUUID } from 'node:crypto';
import { isDomainError } from '@shop/domain';
import {
  snapshotIfDue,
  VersionConflict,
  type AggregateDefinition,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type LoadedAggregate,
  type NewEvent,
} from '@shop/kernel';
import { loadThroughCache, type AggregateCache } from './aggregate-cache.js';
import { preconditionFailed } from '../http/preconditions.js';

export interface DomainEvent {
  type: string;
  data: Record<string, unknown>;
}

/** An aggregate as the command side uses it: its pure decider plus how to load and version its events. */
export interface CommandAggregate<S, E extends DomainEvent, C> extends AggregateDefinition<S, E> {
  decide: (command: C, state: S) => E[];
  schemaVersionOf: (type: E['type']) => number;
}

export interface CommandOutcome<S> {
  /** Undefined when the command changed nothing (an idempotent no-op). */
  appended: AppendResult | undefined;
  state: S;
  version: bigint;
}

export const toNewEvent = <E extends DomainEvent>(event: E, schemaVersion: number, metadata: EventMetadata): NewEvent => ({
  eventId: randomUUID(),
  type: event.type,
  schemaVersion,
  data: event.data,
  metadata,
});

const MAX_ATTEMPTS = 5;

/**
 * After a successful append: snapshot when due. Best effort — the events are committed, and a failed snapshot only
 * means the next load reads a few more events. Answers the stream's snapshot version afterwards.
 */
export async function afterAppend<S, E>(
  store: EventStore,
  streamId: string,
  definition: AggregateDefinition<S, E>,
  loaded: Pick<LoadedAggregate<S>, 'snapshotVersion'>,
  state: S,
  version: bigint,
): Promise<bigint> {
  const written = await snapshotIfDue(store, streamId, definition, loaded, state, version).catch(() => false);
  return written ? version : loaded.snapshotVersion;
}

/**
 * Load → decide → append with the expected version. When the caller named a version (If-Match) a conflict is a
 * 412 for the client to resolve; otherwise the command is retried on fresh state a bounded number of times.
 */
export async function runCommand<S, E extends DomainEvent, C>(
  store: EventStore,
  streamId: string,
  aggregate: CommandAggregate<S, E, C>,
  command: C,
  metadata: EventMetadata,
  options: { ifMatch?: ExpectedVersion; cache?: AggregateCache<S> } = {},
): Promise<CommandOutcome<S>> {
  const { ifMatch, cache } = options;
  let fresh = cache === undefined;
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadThroughCache(store, streamId, aggregate, cache, fresh);
    if (typeof ifMatch === 'bigint' && ifMatch !== loaded.version) {
      if (!fresh) {
        fresh = true;
        continue;
      }
      throw preconditionFailed(loaded.version);
    }
    let events: E[];
    try {
      events = aggregate.decide(command, loaded.state);
    } catch (error) {
      // A refusal decided on cached state is checked against the store before the client hears it.
      if (fresh || !isDomainError(error)) throw error;
      fresh = true;
      continue;
    }
    if (events.length === 0) return { appended: undefined, state: loaded.state, version: loaded.version };
    const expected: ExpectedVersion = typeof ifMatch === 'bigint' ? ifMatch : loaded.version === 0n ? 'no_stream' : loaded.version;
    try {
      const appended = await store.appendToStream(
        streamId,
        expected,
        events.map((event) => toNewEvent(event, aggregate.schemaVersionOf(event.type), metadata)),
      );
      const state = events.reduce(aggregate.evolve, loaded.state);
      const snapshotVersion = await afterAppend(store, streamId, aggregate, loaded, state, appended.nextVersion);
      cache?.set(streamId, { state, version: appended.nextVersion, eventsRead: 0, snapshotVersion });
      return { appended, state, version: appended.nextVersion };
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      cache?.delete(streamId);
      fresh = true;
      if (typeof ifMatch === 'bigint') throw preconditionFailed(error.actual);
      if (attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
