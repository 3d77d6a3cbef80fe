import type { Redis } from 'ioredis';
import type { Logger } from '@shop/service-kit';

/** Cache-aside store of pre-serialised response bodies. It holds nothing that cannot be rebuilt. */
export interface ReadCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, body: string, ttlSeconds: number): Promise<void>;
}

/**
 * Redis-backed. The projector deletes keys when it commits; TTLs are the safety net. A Redis failure is
 * never a failed read: the caller goes to Postgres (ioredis is configured to fail fast while disconnected).
 */
export class RedisReadCache implements ReadCache {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(key)) ?? undefined;
    } catch (err) {
      this.logger.warn({ err }, 'cache read failed; reading Postgres');
      return undefined;
    }
  }

  async set(key: string, body: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(key, body, 'EX', ttlSeconds).catch((err: unknown) => this.logger.warn({ err }, 'cache write failed'));
  }
}

/**
 * The fallback when no Redis can be had. No other process can invalidate it, so it forgets everything
 * whenever the read model advances (the caller wires `clear` to the position tracker).
 */
export class InProcessReadCache implements ReadCache {
  private readonly entries = new Map<string, { body: string; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt < Date.now()) return Promise.resolve(undefined);
    return Promise.resolve(entry.body);
  }

  set(key: string, body: string, ttlSeconds: number): Promise<void> {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { body, expiresAt: Date.now() + ttlSeconds * 1_000 });
    return Promise.resolve();
  }

  clear(): void {
    this.entries.clear();
  }
}
