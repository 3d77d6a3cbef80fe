import type { Redis } from 'ioredis';
import { cacheMarkerValue, CACHE_TTL_SECONDS, MARKER_RANK, withStampedSet } from '@shop/read-models';
import type { Logger } from '@shop/service-kit';

/**
 * After a projection commits a batch ending at `position`, every key it made stale gets a marker stamped with
 * that position (one pipelined round trip): the marker hides older entries and refuses any slow reader that
 * tries to put a body read before the commit back. Failures are logged; TTLs are the safety net.
 */
export function createCacheInvalidator(redis: Redis, logger: Logger): (keys: string[], position: bigint) => Promise<void> {
  const stamped = withStampedSet(redis);
  return async (keys, position) => {
    const marker = cacheMarkerValue(position);
    const pipeline = stamped.pipeline() as unknown as {
      stampedSet(key: string, position: string, rank: number, value: string, ttl: number): void;
      exec(): Promise<Array<[Error | null, unknown]> | null>;
    };
    for (const key of new Set(keys)) pipeline.stampedSet(key, position.toString(), MARKER_RANK, marker, CACHE_TTL_SECONDS);
    try {
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error !== null);
      if (failed) throw failed[0] as Error;
    } catch (err) {
      logger.warn({ err, keys: keys.length }, 'cache invalidation failed; TTL will expire it');
    }
  };
}
