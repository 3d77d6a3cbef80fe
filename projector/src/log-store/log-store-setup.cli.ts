import { Client } from '@elastic/elasticsearch';
import { z } from 'zod';
import { configOrExit, loadConfig } from '@shop/service-kit';
import { DEFAULT_ASSETS_DIR, readLogStoreAssets, setUpLogStore } from './log-store-setup.js';

/** `node projector/dist/log-store/log-store-setup.cli.js`: the compose job `log-store-setup` (profile analytics). */
const LogStoreSetupConfig = z.object({
  ELASTICSEARCH_URL: z.url(),
  KIBANA_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
  LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(14),
  /** infra/elasticsearch/ (compose mounts it at the same place in the image); default: found from this file's place. */
  LOG_STORE_ASSETS_DIR: z.string().default(DEFAULT_ASSETS_DIR),
});

const config = configOrExit('log-store-setup', () => loadConfig(LogStoreSetupConfig));
const elasticsearch = new Client({ node: config.ELASTICSEARCH_URL });
try {
  const done = await setUpLogStore({
    elasticsearch,
    kibanaUrl: config.KIBANA_URL,
    assets: readLogStoreAssets(config.LOG_STORE_ASSETS_DIR),
    retentionDays: config.LOG_RETENTION_DAYS,
  });
  for (const line of done) process.stdout.write(`log-store-setup: ${line}\n`);
} catch (error) {
  process.stderr.write(`log-store-setup: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await elasticsearch.close();
}
