import { loadAggregate, type AggregateDefinition, type EventStore, type LoadedAggregate } from '@shop/kernel';

/**
 * The last state this process wrote or read for each stream, so a hot aggregate (a product everyone orders) is not
 * re-read for every command. Never trusted blindly: appends carry the cached version as their expected version,
 * so a stale entry turns into a VersionConflict (then the entry is dropped and the command retried on fresh state),
 * and a command the cached state refuses is decided again on fresh state before the refusal is answered.
 */
export class AggregateCache<S> {
  private readonly entries = new Map<string, LoadedAggregate<S>>();

  constructor(private readonly maxEntries = 20_000) {}

  get(streamId: string): LoadedAggregate<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      // Most recently used last: Map iteration order makes the first key the eviction candidate.
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: LoadedAggregate<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}

/** The aggregate from the cache when allowed and present, else from the store (and then cached). */
export async function loadThroughCache<S, E>(
  store: EventStore,
  streamId: string,
  definition: AggregateDefinition<S, E>,
  cache: AggregateCache<S> | undefined,
  fresh: boolean,
): Promise<LoadedAggregate<S>> {
  const cached = fresh ? undefined : cache?.get(streamId);
  if (cached) return cached;
  const loaded = await loadAggregate(store, streamId, definition);
  cache?.set(streamId, loaded);
  return loaded;
}
