import { Redis } from 'ioredis';
import {
  cacheEntryValue,
  CACHE_TTL_SECONDS,
  ENTRY_RANK,
  parseCacheEntry,
  withStampedSet,
  type CacheEntry,
  type StampedRedis,
} from '@shop/read-models';
import type { Logger } from '@shop/service-kit';

/** Cache-aside store of pre-serialised, position-stamped bodies. It holds nothing that cannot be rebuilt. */
export interface ReadCache {
  get(key: string): Promise<CacheEntry | undefined>;
  /** Stores `entry` unless the key already holds something at least as new (see stamped-cache.ts). */
  set(key: string, entry: CacheEntry): Promise<void>;
}

/**
 * Redis-backed. The projector stamps keys stale when it commits; TTLs are the safety net. A Redis failure is
 * never a failed read: the caller goes to Postgres (ioredis is configured to fail fast while disconnected).
 */
export class RedisReadCache implements ReadCache {
  private readonly redis: StampedRedis;

  constructor(
    redis: Redis,
    private readonly logger: Logger,
  ) {
    this.redis = withStampedSet(redis);
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    try {
      const value = await this.redis.get(key);
      return value === null ? undefined : parseCacheEntry(value);
    } catch (err) {
      this.logger.warn({ err }, 'cache read failed; reading Postgres');
      return undefined;
    }
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    await this.redis
      .stampedSet(key, entry.position.toString(), ENTRY_RANK, cacheEntryValue(entry), CACHE_TTL_SECONDS)
      .catch((err: unknown) => this.logger.warn({ err }, 'cache write failed'));
  }
}

/**
 * A Redis connection for the cache that fails fast while disconnected (no offline queue, one retry, 500 ms
 * command timeout): a read then goes to Postgres at once instead of waiting for Redis to come back.
 */
export function connectCacheRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, enableAutoPipelining: true });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis error'));
  return redis;
}

/**
 * The fallback when no Redis can be had. No other process can invalidate it, so it forgets everything
 * whenever a read model advances (the caller wires `clear` to the position trackers).
 */
export class InProcessReadCache implements ReadCache {
  private readonly entries = new Map<string, { entry: CacheEntry; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: string): Promise<CacheEntry | undefined> {
    const held = this.entries.get(key);
    if (!held || held.expiresAt < Date.now()) return Promise.resolve(undefined);
    return Promise.resolve(held.entry);
  }

  set(key: string, entry: CacheEntry): Promise<void> {
    const held = this.entries.get(key);
    if (held && held.entry.position >= entry.position) return Promise.resolve();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { entry, expiresAt: Date.now() + CACHE_TTL_SECONDS * 1_000 });
    return Promise.resolve();
  }

  clear(): void {
    this.entries.clear();
  }
}
