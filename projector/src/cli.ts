import { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { PERSONAL_DATA } from '@shop/domain';
import { applySchema, createPool, MasterKey, PersonalDataCodec, PersonalDataEventStore, PostgresDataKeyRing, PostgresEventStore } from '@shop/kernel';
import { createLogger, loadConfig } from '@shop/service-kit';
import { ANALYTICS_PROJECTION } from '@shop/read-models';
import { createCacheInvalidator } from './cache/cache-invalidator.js';
import { analyticsProjection } from './projections/analytics/analytics.projection.js';
import { SalesIndexWriter } from './projections/analytics/sales-index-writer.js';
import { PROJECTIONS } from './projections/index.js';
import type { Projection } from './projections/projection.js';
import { rebuildProjection } from './runner/rebuild.js';
import { redriveDeadLetters } from './runner/redrive.js';

async function dropCache(redis: Redis, prefix: string): Promise<number> {
  let dropped = 0;
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
    if (keys.length) dropped += await redis.del(...keys);
  }
  return dropped;
}

// `npm run projections -- redrive <projection>`: operations on projections, from a shell.
const Config = z.object({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/shop'),
  /** As the projector's: projections read personal fields decrypted (or `[erased]`). */
  DATA_KEY_ENCRYPTION_KEY: MasterKey,
  REDIS_URL: z.string().optional(),
  ELASTICSEARCH_URL: z.string().optional(),
  ELASTICSEARCH_SALES_INDEX: z.string().default('shop-sales'),
  /** As the projector runs: a rebuild compares each stream's rows at its partition's checkpoint. */
  PROJECTION_PARTITIONS: z.coerce.number().int().min(1).max(64).default(1),
});

const usage = `Usage: npm run projections -- <command> <projection>
  rebuild   rebuild the read model from position 0 into a shadow table, compare it with the live one at the same
            position (digest of every row), and swap it in; prints progress
  redrive   apply the projection's dead letters again, oldest first (after fixing what made them fail)
Projections: ${Object.keys(PROJECTIONS).join(', ')}; and ${ANALYTICS_PROJECTION} (Elasticsearch: redrive only, needs ELASTICSEARCH_URL)
Settings: DATABASE_URL, DATA_KEY_ENCRYPTION_KEY (as the projector's), REDIS_URL (stale cache entries are deleted when set), ELASTICSEARCH_URL, ELASTICSEARCH_SALES_INDEX,
  PROJECTION_PARTITIONS (as the projector runs)`;

const [command, name] = process.argv.slice(2);
const target = name ? PROJECTIONS[name] : undefined;
const config = loadConfig(Config);
// The analytics projection writes to Elasticsearch: its dead letters can be redriven (every write is idempotent),
// but it has no Postgres tables to rebuild into shadows.
const elasticsearch = command === 'redrive' && name === ANALYTICS_PROJECTION && config.ELASTICSEARCH_URL ? new ElasticsearchClient({ node: config.ELASTICSEARCH_URL }) : undefined;
const redriven: Projection | undefined = elasticsearch ? analyticsProjection(new SalesIndexWriter(elasticsearch, config.ELASTICSEARCH_SALES_INDEX)) : target?.projection;
if ((command !== 'redrive' && command !== 'rebuild') || !redriven || (command === 'rebuild' && !target)) {
  console.error(usage);
  process.exit(2);
}

const pool = createPool(config.DATABASE_URL, { max: 2, applicationName: 'projections-cli' });
const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 }) : undefined;
try {
  // Idempotent, and it makes sure the dead-letter table exists even if no service has started since an upgrade.
  await applySchema(pool);
  // Projections see personal fields as the projector's do: decrypted, or `[erased]` once the key is shredded.
  const store = new PersonalDataEventStore(
    new PostgresEventStore(pool),
    new PersonalDataCodec(new PostgresDataKeyRing(pool, config.DATA_KEY_ENCRYPTION_KEY), PERSONAL_DATA),
  );
  const progress = (line: string): void => console.log(`[projections] ${line}`);
  if (command === 'rebuild' && target) {
    await rebuildProjection(pool, store, target, progress, config.PROJECTION_PARTITIONS);
    // Every cached entry may differ from the rebuilt table: the cache holds nothing that cannot be rebuilt.
    if (redis && target.cachePrefix) progress(`cache: ${await dropCache(redis, target.cachePrefix)} entries dropped`);
  } else {
    const invalidate = redis ? createCacheInvalidator(redis, createLogger('projections-cli')) : async (): Promise<void> => undefined;
    const result = await redriveDeadLetters(pool, store, redriven, invalidate, progress);
    process.exitCode = result.failedAt ? 1 : 0;
  }
} finally {
  redis?.disconnect();
  await elasticsearch?.close();
  await pool.end();
}
