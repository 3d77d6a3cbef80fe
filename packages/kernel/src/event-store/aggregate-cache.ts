import { loadAggregate, type AggregateDefinition, type LoadedAggregate } from './aggregate.js';
import type { EventStore } from './event-store.port.js';

/**
 * The last state a process wrote or read for each stream, so a hot aggregate (a product everyone orders) is not
 * re-read for every command. One cache serves every aggregate: a stream id names its aggregate (`product-…`,
 * `order-…`), so an entry is always read back with the definition that wrote it. Never trusted blindly: the command
 * handler appends with the cached version as the expected version, so a stale entry turns into a VersionConflict
 * (then the entry is dropped and the command retried on fresh state), and a command the cached state refuses is
 * decided again on fresh state before the refusal is answered.
 *
 * Entries last `ttlMs` from when they were written (a hot product is rewritten by every order, so it never expires):
 * an order's state holds its shipping address, and an erased customer's must not outlive the minute decision 0040
 * allows a cached data key. Expired entries are dropped as they reach the least recently used end, so what the cache
 * holds is what was written in the last `ttlMs`, at most `maxEntries`. Every placed order is written once: a cache
 * that dropped expired entries only when read kept every order up to its bound (decision 0092).
 */
export class AggregateCache {
  private readonly entries = new Map<string, { loaded: LoadedAggregate<unknown>; expires: number }>();

  constructor(
    private readonly maxEntries = 5_000,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(streamId: string): LoadedAggregate<unknown> | undefined {
    const entry = this.entries.get(streamId);
    if (!entry) return undefined;
    this.entries.delete(streamId);
    if (entry.expires <= this.now()) return undefined;
    // Most recently used last: Map iteration order makes the first key the eviction candidate.
    this.entries.set(streamId, entry);
    return entry.loaded;
  }

  set(streamId: string, loaded: LoadedAggregate<unknown>): void {
    this.entries.delete(streamId);
    const now = this.now();
    this.entries.set(streamId, { loaded, expires: now + this.ttlMs });
    this.evict(now);
  }

  get size(): number {
    return this.entries.size;
  }

  /** From the least recently used end: entries over the bound, and expired ones until the first that is not. */
  private evict(now: number): void {
    for (const [streamId, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expires > now) return;
      this.entries.delete(streamId);
    }
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
  cache: AggregateCache | undefined,
  fresh: boolean,
): Promise<LoadedAggregate<S>> {
  const cached = fresh ? undefined : (cache?.get(streamId) as LoadedAggregate<S> | undefined);
  if (cached) return cached;
  const loaded = await loadAggregate(store, streamId, definition);
  cache?.set(streamId, loaded);
  return loaded;
}
