import { Redis } from 'ioredis';
import { localServerFailure, runContainer, startInfra, type TestInfra } from './containers.js';

export interface TestRedis extends TestInfra {
  /** redis:// URL; on the local server it names this jest worker's database (`/<db>`). */
  url: string;
  /** Removes the container; nothing to do on the local server (the next start flushes the database). */
  stop(): Promise<void>;
}

/**
 * A Redis for one test suite: a fresh container (see `SHOP_TEST_REDIS_IMAGE`), or on the local server
 * (`TEST_REDIS_URL`) database `JEST_WORKER_ID` (1..15, else 0), flushed at start. Suites run one at a time per
 * jest worker, so that database is theirs; two handles open at once in one suite share it.
 */
export function startTestRedis(): Promise<TestRedis> {
  return startInfra('redis', { container: startContainer, local: startLocal });
}

async function startContainer(image: string): Promise<TestRedis> {
  const running = await runContainer(
    'redis',
    image,
    6379,
    // The official image needs no flags; the shop-local one has these as defaults anyway.
    (container) => container.withCommand(['redis-server', '--save', '', '--appendonly', 'no']),
    (address) => withRedis(`redis://${address}`, async (redis) => void (await redis.ping())),
  );
  return { url: `redis://${running.address}`, source: 'container', stop: running.stop };
}

export function workerDatabase(workerId: string | undefined): number {
  const id = Number(workerId);
  return Number.isInteger(id) && id >= 1 && id <= 15 ? id : 0;
}

async function startLocal(baseUrl: string): Promise<TestRedis> {
  const url = new URL(baseUrl);
  url.pathname = `/${workerDatabase(process.env.JEST_WORKER_ID)}`;
  try {
    await withRedis(url.toString(), async (redis) => void (await redis.flushdb()));
  } catch (err) {
    throw localServerFailure('redis', `the local server ${url.host} does not answer`, err);
  }
  return { url: url.toString(), source: 'local', stop: () => Promise.resolve() };
}

/** One short-lived connection that fails fast instead of retrying. */
async function withRedis(url: string, work: (redis: Redis) => Promise<void>): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await work(redis);
  } finally {
    redis.disconnect();
  }
}
