import { Redis } from 'ioredis';
import { ensureOptionalServer, type OptionalServer } from './optional-server.js';

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
export const ensureRedis = (url: string, dataDir: string, say: (line: string) => void): Promise<OptionalServer> =>
  ensureOptionalServer(
    {
      label: 'Redis',
      setting: 'REDIS_URL',
      without: 'the query service uses an in-process cache',
      binary: 'redis-server',
      localPort: LOCAL_REDIS_PORT,
      localUrl: `redis://127.0.0.1:${LOCAL_REDIS_PORT}`,
      args: () => ({ args: ['--port', String(LOCAL_REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'] }),
      missing: async (at) => ((await pingRedis(at)) ? undefined : 'no PONG'),
      unreachable: 'not reachable',
    },
    url,
    dataDir,
    say,
  );
