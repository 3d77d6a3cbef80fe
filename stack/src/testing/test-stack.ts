import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@shop/service-kit';
import { startTestNats, startTestPostgres, startTestRedis } from '@shop/testing';
import { StackConfig } from '../config.js';
import { startStack, type RunningStack } from '../stack.js';

/**
 * The whole shop as `npm start` runs it (the gateway is nginx when installed), on the test harness's Postgres, Redis
 * and NATS (containers when Docker answers), on free ports, with a data directory of its own. `settings` adds to or
 * overrides that; `stop()` takes down the stack, then the infrastructure, then the data directory.
 */
export async function startTestStack(settings: Record<string, string | number>, say: (line: string) => void = () => undefined): Promise<RunningStack> {
  const [postgres, redis, nats] = await Promise.allSettled([startTestPostgres(), startTestRedis(), startTestNats()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-stack-'));
  const stopInfrastructure = async (): Promise<void> => {
    await Promise.all([postgres, redis, nats].map((started) => (started.status === 'fulfilled' ? started.value.stop() : Promise.resolve())));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (postgres.status === 'rejected') throw postgres.reason;
    if (redis.status === 'rejected') throw redis.reason;
    if (nats.status === 'rejected') throw nats.reason;
    const [database, cache, bus] = [postgres.value, redis.value, nats.value];
    const config = StackConfig.parse({
      SHOP_PORT: await freePort(),
      SHOP_HTTPS_PORT: await freePort(),
      COMMAND_PORT: await freePort(),
      QUERY_PORT: await freePort(),
      PROJECTOR_PORT: await freePort(),
      PROMETHEUS_PORT: await freePort(),
      DATABASE_URL: database.url,
      REDIS_URL: cache.url,
      NATS_URL: bus.url,
      NATS_STREAM: `${bus.namespace}_EVENTS`,
      NATS_SUBJECT_PREFIX: bus.namespace,
      SHOP_DATA_DIR: dataDir,
      ...settings,
    });
    const stack = await startStack(config, say);
    return {
      ...stack,
      async stop() {
        await stack.stop();
        await stopInfrastructure();
      },
    };
  } catch (error) {
    await stopInfrastructure().catch(() => undefined);
    throw error;
  }
}
