import type { Redis } from 'ioredis';
import { cacheMarkerValue, CACHE_TTL_SECONDS, MARKER_RANK, withStampedSet } from '@shop/read-models';
import type { Logger } from '@shop/service-kit';

export type CacheInvalidator = (keys: string[], position: bigint) => Promise<void>;

/** The newest position each key must be marked at, merged: a key keeps the highest position it was given. */
export function mergeStale(into: Map<string, bigint>, keys: Iterable<string>, position: bigint): Map<string, bigint> {
  for (const key of keys) {
    const known = into.get(key);
    if (known === undefined || known < position) into.set(key, position);
  }
  return into;
}

/**
 * After a projection commits a batch ending at `position`, every key it made stale gets a marker stamped with
 * that position (one pipelined round trip): the marker hides older entries and refuses any slow reader that
 * tries to put a body read before the commit back.
 *
 * A marker Redis did not take (reset, timeout, outage) is not dropped: the key waits in `pending` at its newest
 * position and is sent again with the next batch, as soon as the connection is ready again, and otherwise every
 * `retryMs` until Redis takes it.
 * Otherwise an entry cached before the failure would be served, older than its read model, until its TTL.
 * Re-sending is safe: the script keeps the newest stamp, so a marker never moves a key backwards.
 */
export function createCacheInvalidator(redis: Redis, logger: Logger, { retryMs = 500 }: { retryMs?: number } = {}): CacheInvalidator {
  const stamped = withStampedSet(redis);
  const pending = new Map<string, bigint>();
  let retry: NodeJS.Timeout | undefined;

  const send = async (markers: Map<string, bigint>): Promise<void> => {
    const pipeline = stamped.pipeline() as unknown as {
      stampedSet(key: string, position: string, rank: number, value: string, ttl: number): void;
      exec(): Promise<Array<[Error | null, unknown]> | null>;
    };
    for (const [key, position] of markers) pipeline.stampedSet(key, position.toString(), MARKER_RANK, cacheMarkerValue(position), CACHE_TTL_SECONDS);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0] as Error;
  };

  const invalidate: CacheInvalidator = async (keys, position) => {
    const markers = mergeStale(new Map(pending), keys, position);
    pending.clear();
    if (markers.size === 0) return;
    try {
      await send(markers);
    } catch (err) {
      for (const [key, at] of markers) mergeStale(pending, [key], at);
      logger.warn({ err, keys: pending.size }, 'cache invalidation failed; kept to send again');
      retry ??= setTimeout(() => {
        retry = undefined;
        void invalidate([], 0n);
      }, retryMs).unref();
    }
  };
  // Back from a reset or an outage: what Redis refused meanwhile goes first, not up to `retryMs` later.
  redis.on('ready', () => {
    if (pending.size > 0) void invalidate([], 0n);
  });
  return invalidate;
}
