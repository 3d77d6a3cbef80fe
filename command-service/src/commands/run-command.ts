import { randomUUID } from 'node:crypto';
import {
  loadAggregate,
  snapshotIfDue,
  VersionConflict,
  type AggregateDefinition,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from '@shop/kernel';
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
 * Load → decide → append with the expected version. When the caller named a version (If-Match) a conflict is a
 * 412 for the client to resolve; otherwise the command is retried on fresh state a bounded number of times.
 */
export async function runCommand<S, E extends DomainEvent, C>(
  store: EventStore,
  streamId: string,
  aggregate: CommandAggregate<S, E, C>,
  command: C,
  metadata: EventMetadata,
  ifMatch?: ExpectedVersion,
): Promise<CommandOutcome<S>> {
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadAggregate(store, streamId, aggregate);
    if (typeof ifMatch === 'bigint' && ifMatch !== loaded.version) throw preconditionFailed(loaded.version);
    const events = aggregate.decide(command, loaded.state);
    if (events.length === 0) return { appended: undefined, state: loaded.state, version: loaded.version };
    const expected: ExpectedVersion = typeof ifMatch === 'bigint' ? ifMatch : loaded.version === 0n ? 'no_stream' : loaded.version;
    try {
      const appended = await store.appendToStream(
        streamId,
        expected,
        events.map((event) => toNewEvent(event, aggregate.schemaVersionOf(event.type), metadata)),
      );
      const state = events.reduce(aggregate.evolve, loaded.state);
      // Best effort: the events are committed; a failed snapshot only means the next load reads a few more events.
      await snapshotIfDue(store, streamId, aggregate, loaded, state, appended.nextVersion).catch(() => false);
      return { appended, state, version: appended.nextVersion };
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      if (typeof ifMatch === 'bigint') throw preconditionFailed(error.actual);
      if (attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
