import type { CacheEntry } from '@shop/read-models';
import type { ReadCache } from './read-cache.js';
import type { SingleFlight } from './single-flight.js';

/**
 * Cache-aside with single-flight, at least as fresh as `minPosition` (a Consistency-Token's position, else 0):
 * a cached entry read at an older checkpoint is not good enough for that caller, who reads Postgres instead.
 * `load` must read the row and its projection's checkpoint in ONE statement (one snapshot), so the stamp is true.
 */
export async function readThrough(
  cache: ReadCache,
  flights: SingleFlight<CacheEntry | undefined>,
  key: string,
  minPosition: bigint,
  load: () => Promise<CacheEntry | undefined>,
): Promise<CacheEntry | undefined> {
  const cached = await cache.get(key);
  if (cached && cached.position >= minPosition) return cached;
  const fill = (fresh: CacheEntry | undefined): Promise<void> => (fresh ? cache.set(key, fresh) : Promise.resolve());
  // The answer does not wait for the cache write (which cannot fail the read either); the flight does.
  const loadAndFill = async (): Promise<CacheEntry | undefined> => {
    const fresh = await load();
    void fill(fresh);
    return fresh;
  };
  const shared = await flights.run(key, load, fill);
  // A flight that began before this caller's position was reached may have read an older checkpoint (or not
  // found a row that exists by now).
  if (shared ? shared.position < minPosition : minPosition > 0n) return loadAndFill();
  return shared;
}
