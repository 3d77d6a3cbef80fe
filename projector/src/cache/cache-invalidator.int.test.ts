import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { cacheEntryValue, cacheMarkerValue, productCacheKey } from '@shop/read-models';
import { createLogger } from '@shop/service-kit';
import { startTestRedis, type TestRedis } from '@shop/testing';
import { createCacheInvalidator, mergeStale } from './cache-invalidator.js';

describe('mergeStale', () => {
  it('keeps the highest position per key', () => {
    const merged = mergeStale(new Map([['a', 5n]]), ['a', 'b'], 3n);
    expect([...mergeStale(merged, ['b'], 9n)]).toEqual([['a', 5n], ['b', 9n]]);
  });
});

// A real Redis refusing the projector's user (ACL), then taking it back: the markers refused meanwhile arrive.
describe('cache invalidator when Redis refuses (real Redis, ACL)', () => {
  let cache: TestRedis;
  let admin: Redis;
  let projector: Redis;
  const user = `projector_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    cache = await startTestRedis();
    admin = new Redis(cache.url);
    await admin.call('ACL', 'SETUSER', user, 'on', '>secret', '~*', '+@all');
    projector = new Redis(cache.url, { username: user, password: 'secret', maxRetriesPerRequest: 1 });
    await projector.ping(); // connected (and on the test's database) before its rights are taken away
  });

  afterAll(async () => {
    projector.disconnect();
    await admin.call('ACL', 'DELUSER', user);
    admin.disconnect();
    await cache.stop();
  });

  it('sends a refused marker again until Redis takes it, so the stale entry stops being served', async () => {
    const key = productCacheKey(randomUUID());
    const stale = cacheEntryValue({ position: 10n, etag: '10', scope: '', body: '{"stale":true}' });
    await admin.set(key, stale);
    const invalidate = createCacheInvalidator(projector, createLogger('test', 'silent'), { retryMs: 50 });

    await admin.call('ACL', 'SETUSER', user, '-@all');
    await invalidate([key], 20n);
    expect(await admin.get(key)).toBe(stale);

    await admin.call('ACL', 'SETUSER', user, '+@all');
    // No further batch arrives: the retry alone must bring the marker.
    for (let tries = 0; (await admin.get(key)) !== cacheMarkerValue(20n); tries += 1) {
      if (tries > 200) throw new Error('the refused marker never arrived');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await admin.get(key)).toBe(cacheMarkerValue(20n));
  });
});
