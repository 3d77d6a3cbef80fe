import { join } from 'node:path';
import { Redis } from 'ioredis';
import { spawnManaged, waitUntil } from './child.js';
import { which } from './which.js';

export interface OptionalServer {
  url: string | undefined;
  origin: 'existing' | 'started' | 'absent';
  stop(): Promise<void>;
}

const LOCAL_REDIS_PORT = 6_380;

async function pingRedis(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1_500, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Redis at `url` if it answers; else a local `redis-server` (no persistence: it holds nothing that can't be rebuilt). */
export async function ensureRedis(url: string, dataDir: string, say: (line: string) => void): Promise<OptionalServer> {
  if (url === '') {
    say('Redis: disabled (empty REDIS_URL); the query service uses an in-process cache');
    return { url: undefined, origin: 'absent', stop: async () => undefined };
  }
  if (await pingRedis(url)) return { url, origin: 'existing', stop: async () => undefined };
  const binary = which('redis-server');
  if (!binary) {
    say('Redis: not reachable and redis-server is not installed; the query service uses an in-process cache');
    return { url: undefined, origin: 'absent', stop: async () => undefined };
  }
  say(`Redis: not reachable at ${url}; starting ${binary} on :${LOCAL_REDIS_PORT}`);
  const child = spawnManaged({
    name: 'redis',
    command: binary,
    args: ['--port', String(LOCAL_REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    logFile: join(dataDir, 'logs', 'redis.log'),
  });
  const localUrl = `redis://127.0.0.1:${LOCAL_REDIS_PORT}`;
  await waitUntil('redis-server', async () => {
    if (!(await pingRedis(localUrl))) throw new Error('no PONG');
  }, 10_000);
  return { url: localUrl, origin: 'started', stop: () => child.stop() };
}
