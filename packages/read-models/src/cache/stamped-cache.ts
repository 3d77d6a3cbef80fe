import type { Redis } from 'ioredis';

/**
 * The Redis cache contract shared by the projector (which invalidates) and the query service (which reads and
 * fills). Every value is stamped with a read-model position, and a write only lands if it is newer than what
 * the key holds, so a projection commit makes stale entries unreachable even when a slow reader tries to put an
 * old row back after the projector invalidated it (the race plain cache-aside with DEL has).
 *
 *   entry  `e:<position>:<etag>:<scope>:<body>`  the body as read from the read model when its checkpoint was
 *                                        <position>; <scope> names who may see it (an order's customer id; empty
 *                                        for public data), so access is checked on a cache hit without parsing
 *                                        the body
 *   marker `x:<position>`                "whatever was cached here is older than <position>" (the projector's
 *                                        invalidation after committing a batch that ended at <position>)
 *
 * Order of precedence: the higher position wins; at an equal position an entry beats a marker (a row read at
 * checkpoint P already contains the change the marker for P announces) and an equal entry is left alone.
 */
export interface CacheEntry {
  /** The read model's checkpoint when the body was read: the body reflects every event up to it. */
  position: bigint;
  /** The representation's ETag value (without quotes), e.g. the stream version. */
  etag: string;
  /** Who may see this body ('' = anyone allowed to call the route): checked on every hit, like on a miss. */
  scope: string;
  /** The pre-serialised response body. */
  body: string;
}

export const cacheEntryValue = (entry: CacheEntry): string => `e:${entry.position}:${entry.etag}:${entry.scope}:${entry.body}`;
export const cacheMarkerValue = (position: bigint): string => `x:${position}`;

/** Parses a cached value; a marker or anything unrecognised is a miss. Cheap: three indexOf and four slices. */
export function parseCacheEntry(value: string): CacheEntry | undefined {
  if (!value.startsWith('e:')) return undefined;
  const positionEnd = value.indexOf(':', 2);
  const etagEnd = positionEnd < 0 ? -1 : value.indexOf(':', positionEnd + 1);
  const scopeEnd = etagEnd < 0 ? -1 : value.indexOf(':', etagEnd + 1);
  if (scopeEnd < 0) return undefined;
  const position = value.slice(2, positionEnd);
  if (!/^\d{1,19}$/.test(position)) return undefined;
  return { position: BigInt(position), etag: value.slice(positionEnd + 1, etagEnd), scope: value.slice(etagEnd + 1, scopeEnd), body: value.slice(scopeEnd + 1) };
}

/** Rank of a value at equal position: entries (1) beat markers (0). */
export const ENTRY_RANK = 1;
export const MARKER_RANK = 0;

/**
 * `stampedSet` as a Redis script: KEYS[1] the key; ARGV: position (decimal), rank, value, TTL seconds.
 * Sets the value only if (position, rank) is greater than the stamp of what the key holds; answers 1 if set.
 * Positions are compared as decimal strings (length, then text), exact beyond 2^53.
 */
export const STAMPED_SET_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local kind, pos = string.match(current, '^([ex]):(%d+)')
  if kind then
    local new = ARGV[1]
    local older = #pos < #new or (#pos == #new and pos < new)
    if not older then
      if pos ~= new then return 0 end
      local rank = (kind == 'e') and 1 or 0
      if rank >= tonumber(ARGV[2]) then return 0 end
    end
  end
end
redis.call('SET', KEYS[1], ARGV[3], 'EX', tonumber(ARGV[4]))
return 1
`;

/** How long an entry or marker lives at most: the safety net, not the mechanism. */
export const CACHE_TTL_SECONDS = 300;

/** ioredis with `stampedSet` registered (sent as EVALSHA; the script is loaded on first use). */
export type StampedRedis = Redis & {
  stampedSet(key: string, position: string, rank: number, value: string, ttlSeconds: number): Promise<number>;
};

export function withStampedSet(redis: Redis): StampedRedis {
  if (!('stampedSet' in redis)) redis.defineCommand('stampedSet', { numberOfKeys: 1, lua: STAMPED_SET_SCRIPT });
  return redis as StampedRedis;
}
