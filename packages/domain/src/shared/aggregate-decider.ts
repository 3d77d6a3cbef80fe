/**
 * An aggregate's pure decider as one value, with what reading its events back needs: the zod schema of its events
 * and each event type's schema version. The event store's command handler (@shop/kernel `commandAggregate`) runs
 * it; tests and workloads can drive it directly. Nothing here does I/O.
 */
export interface AggregateDecider<C, E extends { type: string }, S> {
  initialState: S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => E[];
  /** Parse, don't trust: what the store reads back is parsed by this schema (`{ type, data }`). */
  events: { parse: (input: unknown) => E };
  eventVersions: Record<E['type'], number>;
}
