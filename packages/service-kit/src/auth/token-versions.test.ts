import { describe, expect, it } from '@jest/globals';
import { CachedTokenVersions, type TokenVersions } from './token-versions.js';

/** The store's versions as a map, counting lookups: what the cache saves is the point of these tests. */
function versionsOf(initial: Record<string, number>): TokenVersions & { versions: Map<string, number>; lookups: number; fail: boolean } {
  const source = {
    versions: new Map(Object.entries(initial)),
    lookups: 0,
    fail: false,
    async current(userId: string) {
      source.lookups += 1;
      if (source.fail) throw new Error('database unavailable');
      return source.versions.get(userId);
    },
  };
  return source;
}

describe('the read path\'s token-version cache', () => {
  it('looks an account up once per TTL, then again after it', async () => {
    let now = 0;
    const source = versionsOf({ a: 0 });
    const cache = new CachedTokenVersions(source, { ttlMs: 5_000, maxEntries: 10, now: () => now });
    expect(await cache.current('a')).toBe(0);
    source.versions.set('a', 1); // a logout
    now = 4_999;
    expect(await cache.current('a')).toBe(0);
    now = 5_000;
    expect(await cache.current('a')).toBe(1);
    expect(source.lookups).toBe(2);
  });

  it('shares one lookup between concurrent requests of one account', async () => {
    const source = versionsOf({ a: 3 });
    const cache = new CachedTokenVersions(source, { ttlMs: 5_000, maxEntries: 10 });
    expect(await Promise.all([cache.current('a'), cache.current('a'), cache.current('a')])).toEqual([3, 3, 3]);
    expect(source.lookups).toBe(1);
  });

  it('remembers a deleted account as deleted for the TTL too', async () => {
    const source = versionsOf({});
    const cache = new CachedTokenVersions(source, { ttlMs: 5_000, maxEntries: 10 });
    expect(await cache.current('gone')).toBeUndefined();
    expect(await cache.current('gone')).toBeUndefined();
    expect(source.lookups).toBe(1);
  });

  it('keeps at most maxEntries accounts, dropping the least recently used', async () => {
    const source = versionsOf({ a: 0, b: 0, c: 0 });
    const cache = new CachedTokenVersions(source, { ttlMs: 60_000, maxEntries: 2 });
    await cache.current('a');
    await cache.current('b');
    await cache.current('a'); // a is now the most recently used
    await cache.current('c'); // evicts b
    expect(cache.size).toBe(2);
    const before = source.lookups;
    await cache.current('a');
    expect(source.lookups).toBe(before);
    await cache.current('b');
    expect(source.lookups).toBe(before + 1);
  });

  it('does not remember a failed lookup: the next request asks again', async () => {
    const source = versionsOf({ a: 0 });
    const cache = new CachedTokenVersions(source, { ttlMs: 5_000, maxEntries: 10 });
    source.fail = true;
    await expect(cache.current('a')).rejects.toThrow('database unavailable');
    source.fail = false;
    expect(await cache.current('a')).toBe(0);
    expect(source.lookups).toBe(2);
  });

  it('asks the store every time with a TTL of 0', async () => {
    const source = versionsOf({ a: 0 });
    const cache = new CachedTokenVersions(source, { ttlMs: 0, maxEntries: 10 });
    await cache.current('a');
    await cache.current('a');
    expect(source.lookups).toBe(2);
    expect(cache.size).toBe(0);
  });
});
