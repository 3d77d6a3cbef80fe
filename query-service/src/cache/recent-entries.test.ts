import { describe, expect, it } from '@jest/globals';
import type { CacheEntry } from '@shop/read-models';
import { PositionTracker } from '../read-your-writes/position-tracker.js';
import { InProcessReadCache } from './read-cache.js';
import { RecentEntriesCache } from './recent-entries.js';

const entry = (position: bigint, body: string): CacheEntry => ({ position, etag: '1', scope: '', body });

/** The shared cache with its reads counted: a read that reaches it is one the memory did not answer. */
function countedShared(): { shared: InProcessReadCache; reads: () => number } {
  const shared = new InProcessReadCache();
  let reads = 0;
  const get = shared.get.bind(shared);
  shared.get = (key) => {
    reads += 1;
    return get(key);
  };
  return { shared, reads: () => reads };
}

function setup(options: { ttlMs?: number } = {}) {
  let now = 0;
  const { shared, reads } = countedShared();
  const readModel = new PositionTracker(async () => 0n);
  const cache = new RecentEntriesCache(shared, readModel, { ...options, now: () => now });
  return { cache, shared, reads, readModel, advanceClock: (ms: number) => (now += ms) };
}

describe('RecentEntriesCache', () => {
  it('answers a second read from memory while the read model has not moved', async () => {
    const { cache, shared, reads, readModel } = setup();
    readModel.advanceTo(5n);
    await shared.set('k', entry(5n, 'a'));
    expect(await cache.get('k')).toEqual(entry(5n, 'a'));
    expect(await cache.get('k')).toEqual(entry(5n, 'a'));
    expect(reads()).toBe(1);
  });

  it('goes back to the shared cache once the read model moved past the entry', async () => {
    const { cache, shared, reads, readModel } = setup();
    readModel.advanceTo(5n);
    await cache.set('k', entry(5n, 'old'));
    readModel.advanceTo(6n);
    await shared.set('k', entry(6n, 'new'));
    expect(await cache.get('k')).toEqual(entry(6n, 'new'));
    expect(reads()).toBe(1);
  });

  it('does not remember an entry older than the read model (it may already be outdated), though it answers it', async () => {
    const { cache, shared, reads, readModel } = setup();
    await shared.set('k', entry(4n, 'older'));
    readModel.advanceTo(5n);
    expect(await cache.get('k')).toEqual(entry(4n, 'older'));
    expect(await cache.get('k')).toEqual(entry(4n, 'older'));
    expect(reads()).toBe(2);
  });

  it('forgets an entry after its time even when the position never moved (a stalled notification)', async () => {
    const { cache, reads, readModel, advanceClock } = setup({ ttlMs: 1_000 });
    readModel.advanceTo(5n);
    await cache.set('k', entry(5n, 'a'));
    advanceClock(999);
    await cache.get('k');
    expect(reads()).toBe(0);
    advanceClock(1);
    await cache.get('k');
    expect(reads()).toBe(1);
  });

  it('writes through to the shared cache, which other processes read', async () => {
    const { cache, shared, readModel } = setup();
    readModel.advanceTo(5n);
    await cache.set('k', entry(5n, 'a'));
    expect(await shared.get('k')).toEqual(entry(5n, 'a'));
  });
});
