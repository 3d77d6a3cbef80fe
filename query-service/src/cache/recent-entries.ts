import type { CacheEntry } from '@shop/read-models';
import type { PositionSource } from '../read-your-writes/position-tracker.js';
import type { ReadCache } from './read-cache.js';

export interface RecentEntriesOptions {
  /** How many entries this process keeps; when full it forgets them all (cheap, and the shared cache is still there). */
  maxEntries?: number;
  /** How long one is kept at most, whatever the position says: bounds what a stalled position source could cost. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * An in-process layer over the shared cache for ONE read model: an entry read at least as new as the read model's
 * position (as this process knows it) is kept in memory and served again while that position has not moved, without
 * a round trip to Redis. The rule is the one the catalog pages already follow: any commit to the read model moves
 * its position and so makes every remembered entry unreachable at once (reads then go to the shared cache, whose
 * entries the projector marks per key). So a steady stream of writes leaves this layer idle, and a quiet catalog
 * is served from memory (decision 0080). It adds no staleness window of its own but one: the position arrives by
 * NOTIFY, so while the listening connection is down an entry could outlive a commit; `ttlMs` bounds that.
 */
export class RecentEntriesCache implements ReadCache {
  private readonly entries = new Map<string, { entry: CacheEntry; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly shared: ReadCache,
    private readonly readModel: PositionSource,
    options: RecentEntriesOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const held = this.entries.get(key);
    if (held && held.expiresAt > this.now() && held.entry.position >= this.readModel.position) return held.entry;
    const entry = await this.shared.get(key);
    if (entry) this.remember(key, entry);
    return entry;
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    this.remember(key, entry);
    await this.shared.set(key, entry);
  }

  /** Only an entry at least as new as the read model's current position: an older one may already be outdated. */
  private remember(key: string, entry: CacheEntry): void {
    if (entry.position < this.readModel.position) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, { entry, expiresAt: this.now() + this.ttlMs });
  }
}
